// The administrators' API (Bearer admin token): the fleet, one agent, the CSV export. Wrong tokens
// count against their source (auth-limiter), so the token cannot be guessed at network speed.
import type {IncomingMessage} from 'node:http'

import {sourceKey} from '../auth-limiter.js'
import {matchesHash} from '../collector-dir.js'
import {agentDetail, csvChunks, fleet} from '../fleet.js'
import {HttpError} from '../http/http-error.js'
import {decodePathPart, requestUrl} from '../http/request-target.js'
import {streamText} from '../http/stream-text.js'
import {parseCursor} from '../report-cursor.js'
import {exportPeriod} from '../export-period.js'
import {send} from '../http/respond.js'
import {STATUS} from '../protocol.js'
import type {CollectorContext, Handler} from './context.js'

async function requireAdmin(req: IncomingMessage, ctx: CollectorContext): Promise<void> {
  const source = sourceKey(req.socket.remoteAddress)
  await ctx.limiter.assertAllowed('api-admin', source)
  const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')
  if (match && matchesHash(match[1] as string, ctx.adminTokenSha256)) return
  await ctx.limiter.fail('api-admin', source)
  throw new HttpError(STATUS.unauthorized, 'admin token required (Authorization: Bearer …)')
}

/** An admin-only handler: the token first, then `handler`. */
const adminOnly =
  (handler: Handler): Handler =>
  async (req, res, ctx, rest) => {
    await requireAdmin(req, ctx)
    await handler(req, res, ctx, rest)
  }

export const fleetHandler: Handler = adminOnly(async (_req, res, ctx) => {
  send(res, STATUS.ok, {agents: await fleet(ctx.store, ctx.now(), ctx.staleDays)})
})

export const exportHandler: Handler = adminOnly(async (req, res, ctx) => {
  await streamText(res, {'content-type': 'text/csv; charset=utf-8'}, csvChunks(ctx.store, exportPeriod(requestUrl(req.url).searchParams)))
})

export const agentHandler: Handler = adminOnly(async (req, res, ctx, rest) => {
  const before = parseCursor(requestUrl(req.url).searchParams.get('before'))
  const detail = await agentDetail(ctx.store, decodePathPart(rest), ctx.now(), ctx.staleDays, before)
  if (!detail) throw new HttpError(STATUS.notFound, 'no such agent')
  send(res, STATUS.ok, detail)
})
