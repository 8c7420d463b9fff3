// A refusal with its HTTP status: thrown anywhere below a handler, answered by the server's one
// error path. Its message is protocol (English, logged by agents), never a secret.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra answer headers (Retry-After on a 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}
