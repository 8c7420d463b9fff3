// An agent's upload: the certified agent behind the connection, then its body, valid under the
// document's schema, parsed and kept as text (stored as received).
import type {IncomingMessage} from 'node:http'

import {HttpError} from '../http/http-error.js'
import {readJsonText} from '../http/request-body.js'
import {certifiedAgent} from '../peer-identity.js'
import {MAX_BODY_BYTES, STATUS} from '../protocol.js'
import type {CollectorStore} from '../store/types.js'

export async function certifiedUpload<T>(store: CollectorStore, req: IncomingMessage, validate: (data: unknown) => null | string): Promise<{agentId: string; document: T; text: string}> {
  const agentId = await certifiedAgent(store, req)
  const {text, value} = await readJsonText(req, MAX_BODY_BYTES)
  const problem = validate(value)
  if (problem) throw new HttpError(STATUS.badRequest, problem)
  return {agentId, document: value as T, text}
}
