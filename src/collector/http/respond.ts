// Sending an answer: JSON by default, never cached (fleet data and certificates are per request).
import type {ServerResponse} from 'node:http'

export function send(res: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8', headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, {'content-type': type, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers})
  res.end(text)
}

export function redirect(res: ServerResponse, location: string, status = 302): void {
  res.writeHead(status, {location, 'content-length': 0, 'cache-control': 'no-store'})
  res.end()
}
