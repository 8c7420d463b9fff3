// The admin dashboard, served by the collector under /dashboard: server-rendered HTML, no scripts.
// Admins log in with the admin token (browsers present no client certificate), get a random
// session id in an HttpOnly, Secure, SameSite=Strict cookie, and every POST carries a CSRF token.
import type {IncomingMessage, OutgoingHttpHeaders, ServerResponse} from 'node:http'

import type {Lang} from '../../i18n/lang.js'
import {type AuthLimiter, sourceKey} from '../auth-limiter.js'
import {matchesHash} from '../collector-dir.js'
import {exportPeriod} from '../export-period.js'
import {agentDetail, csvChunks, fleetAgent} from '../fleet.js'
import {streamText} from '../http/stream-text.js'
import {parseCursor} from '../report-cursor.js'
import {STATUS} from '../protocol.js'
import {closeAfterAnswer, readCappedBody} from '../http/request-body.js'
import type {CollectorStore} from '../store/types.js'
import {randomToken, sameToken, SessionStore} from './session-store.js'
import {agentPage, type ClauseSummary, clausesPage, type FleetRow, fleetPage, loginPage, messagePage, type PageContext, STYLE_CSS, tr} from './templates.js'

export const DASHBOARD_PREFIX = '/dashboard'
const SESSION_COOKIE = '__Host-nmg_session'
/** Double-submit token for the login form, before any session exists. */
const LOGIN_CSRF_COOKIE = '__Host-nmg_login_csrf'
const LANG_COOKIE = '__Host-nmg_lang'
const MAX_FORM_BYTES = 16 * 1024

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const

export interface DashboardOptions {
  store: CollectorStore
  adminTokenSha256: string
  staleDays: number
  now: () => Date
  sessions?: SessionStore
  /** Failed logins, counted in the database with the API's (auth-limiter). */
  limiter: AuthLimiter
  /** Clause id → text, from the collector's policy (never from agents). */
  knownClauses: () => ReadonlyMap<string, string>
}

export function isDashboardPath(path: string): boolean {
  return path === DASHBOARD_PREFIX || path.startsWith(`${DASHBOARD_PREFIX}/`)
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>()
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const name = part.slice(0, eq).trim()
    // The first wins, as browsers send the most specific cookie first.
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim())
  }
  return cookies
}

export function cookie(name: string, value: string, maxAgeSeconds?: number): string {
  const age = maxAgeSeconds === undefined ? '' : `; Max-Age=${maxAgeSeconds}`
  return `${name}=${value}; Path=/; HttpOnly; Secure; SameSite=Strict${age}`
}

async function readForm(req: IncomingMessage): Promise<null | URLSearchParams> {
  const body = await readCappedBody(req, MAX_FORM_BYTES)
  return body && new URLSearchParams(body.toString('utf8'))
}

export class Dashboard {
  readonly sessions: SessionStore

  constructor(private readonly options: DashboardOptions) {
    this.sessions = options.sessions ?? new SessionStore()
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://collector')
    const cookies = parseCookies(req.headers.cookie)
    const setCookies: string[] = []
    const lang = this.language(url, cookies, setCookies)
    const query = new URLSearchParams(url.searchParams)
    query.delete('lang')
    const session = this.sessions.get(cookies.get(SESSION_COOKIE))
    const ctx: PageContext = {lang, path: url.pathname, query, csrf: session?.csrf}
    const method = req.method ?? 'GET'
    const path = url.pathname.replace(/\/+$/, '') || '/'

    const headers = (type: string, extra: Record<string, string>): OutgoingHttpHeaders => ({...SECURITY_HEADERS, 'content-type': type, ...(setCookies.length > 0 ? {'set-cookie': setCookies} : {}), ...extra})
    const send = (status: number, body: string, type = 'text/html; charset=utf-8', extra: Record<string, string> = {}): void => {
      res.writeHead(status, {...headers(type, extra), 'content-length': Buffer.byteLength(body)})
      res.end(body)
    }
    const redirect = (to: string): void => {
      res.writeHead(303, {...SECURITY_HEADERS, location: to, 'content-length': 0, ...(setCookies.length > 0 ? {'set-cookie': setCookies} : {})})
      res.end()
    }
    const forbidden = (): void => send(403, messagePage(ctx, tr(ctx, 'dashboard.forbiddenTitle'), tr(ctx, 'dashboard.csrfFailed')))

    if (path === `${DASHBOARD_PREFIX}/style.css` && method === 'GET') return send(200, STYLE_CSS, 'text/css; charset=utf-8')

    if (method === 'POST') {
      const form = await readForm(req)
      if (!form) {
        closeAfterAnswer(req, res)
        return send(413, messagePage(ctx, tr(ctx, 'dashboard.forbiddenTitle'), tr(ctx, 'dashboard.formTooLarge')))
      }
      const presented = form.get('csrf') ?? undefined
      if (path === `${DASHBOARD_PREFIX}/login`) {
        if (!sameToken(presented, cookies.get(LOGIN_CSRF_COOKIE))) return forbidden()
        // The socket's address, not X-Forwarded-For: a header is the client's to choose.
        const source = sourceKey(req.socket.remoteAddress)
        const {limiter} = this.options
        const wait = await limiter.retryAfter('dashboard-login', source)
        if (wait > 0) {
          const csrf = this.loginCsrf(cookies, setCookies)
          return send(STATUS.tooManyRequests, loginPage({...ctx, csrf: undefined}, csrf, tr(ctx, 'dashboard.tooManyLogins', {seconds: wait})), undefined, {'retry-after': String(wait)})
        }
        const token = form.get('token') ?? ''
        if (!matchesHash(token, this.options.adminTokenSha256)) {
          await limiter.fail('dashboard-login', source)
          const csrf = this.loginCsrf(cookies, setCookies)
          return send(401, loginPage({...ctx, csrf: undefined}, csrf, tr(ctx, 'dashboard.wrongToken')))
        }
        // A fresh id at login: a session id planted before login is never promoted.
        this.sessions.destroy(cookies.get(SESSION_COOKIE))
        const created = this.sessions.create()
        setCookies.push(cookie(SESSION_COOKIE, created.id), cookie(LOGIN_CSRF_COOKIE, '', 0))
        return redirect(DASHBOARD_PREFIX)
      }
      // Every other POST needs a session and its own CSRF token.
      if (!session || !sameToken(presented, session.csrf)) return forbidden()
      if (path === `${DASHBOARD_PREFIX}/logout`) {
        this.sessions.destroy(session.id)
        setCookies.push(cookie(SESSION_COOKIE, '', 0))
        return redirect(`${DASHBOARD_PREFIX}/login`)
      }
      return send(404, messagePage(ctx, tr(ctx, 'dashboard.notFoundTitle'), tr(ctx, 'dashboard.notFound')))
    }
    if (method !== 'GET' && method !== 'HEAD') return send(405, messagePage(ctx, tr(ctx, 'dashboard.notFoundTitle'), tr(ctx, 'dashboard.notFound')), undefined, {allow: 'GET, POST'})

    if (path === `${DASHBOARD_PREFIX}/login`) {
      if (session) return redirect(DASHBOARD_PREFIX)
      const csrf = this.loginCsrf(cookies, setCookies)
      return send(200, loginPage(ctx, csrf))
    }
    if (!session) return redirect(`${DASHBOARD_PREFIX}/login`)
    await this.page(path, url, ctx, send, (type, extra, chunks) => streamText(res, headers(type, extra), chunks))
  }

  private async page(path: string, url: URL, ctx: PageContext, send: (status: number, body: string, type?: string, extra?: Record<string, string>) => void, stream: (type: string, extra: Record<string, string>, chunks: AsyncIterable<string>) => Promise<void>): Promise<void> {
    const {store, staleDays} = this.options
    if (path === `${DASHBOARD_PREFIX}/export.csv`) {
      const stamp = this.options.now().toISOString().slice(0, 7)
      return stream('text/csv; charset=utf-8', {'content-disposition': `attachment; filename="nm-guard-${stamp}.csv"`}, csvChunks(store, exportPeriod(url.searchParams)))
    }
    if (path === DASHBOARD_PREFIX) {
      const {rows} = await this.fleetRows()
      const clause = url.searchParams.get('clause')
      const shown = clause ? rows.filter((r) => r.failingClauses.includes(clause)) : rows
      return send(200, fleetPage(ctx, shown, clause, staleDays))
    }
    if (path === `${DASHBOARD_PREFIX}/clauses`) {
      const {rows, texts} = await this.fleetRows()
      const counts = new Map<string, number>()
      for (const r of rows) for (const id of r.failingClauses) counts.set(id, (counts.get(id) ?? 0) + 1)
      // Every clause of the policy, and any other id a PC fails (a custom policy's), without text.
      const ids = new Set([...texts.keys(), ...counts.keys()])
      const summaries: ClauseSummary[] = [...ids].map((id) => ({id, text: texts.get(id) ?? '', failing: counts.get(id) ?? 0}))
      summaries.sort((a, b) => b.failing - a.failing || a.id.localeCompare(b.id))
      return send(200, clausesPage(ctx, summaries))
    }
    if (path.startsWith(`${DASHBOARD_PREFIX}/agents/`)) {
      let id: string
      try {
        id = decodeURIComponent(path.slice(`${DASHBOARD_PREFIX}/agents/`.length))
      } catch {
        id = ''
      }
      const detail = await agentDetail(store, id, this.options.now(), staleDays, parseCursor(url.searchParams.get('before')))
      if (detail) return send(200, agentPage(ctx, detail))
    }
    send(404, messagePage(ctx, tr(ctx, 'dashboard.notFoundTitle'), tr(ctx, 'dashboard.notFound')))
  }

  /**
   * Every agent with the clauses its latest report fails (kept on the agent row: no report body is
   * read; rows stored before the collector kept clauses are backfilled at start), and the texts of
   * the clauses the collector's policy holds.
   */
  private async fleetRows(): Promise<{rows: FleetRow[]; texts: ReadonlyMap<string, string>}> {
    const {store, staleDays, now} = this.options
    const agents = await store.listAgentsWithLatest()
    const at = now()
    const rows: FleetRow[] = []
    for (const {agent, incident, latest} of agents) rows.push({...fleetAgent(agent, latest, at, staleDays, incident), failingClauses: latest?.failing_clauses ?? []})
    return {rows, texts: this.options.knownClauses()}
  }

  private language(url: URL, cookies: Map<string, string>, setCookies: string[]): Lang {
    const asked = url.searchParams.get('lang')
    if (asked === 'en' || asked === 'zh-CN') {
      setCookies.push(cookie(LANG_COOKIE, asked, 365 * 86_400))
      return asked
    }
    return cookies.get(LANG_COOKIE) === 'en' ? 'en' : 'zh-CN'
  }

  private loginCsrf(cookies: Map<string, string>, setCookies: string[]): string {
    const existing = cookies.get(LOGIN_CSRF_COOKIE)
    if (existing && /^[\w-]{43}$/.test(existing)) return existing
    const csrf = randomToken()
    setCookies.push(cookie(LOGIN_CSRF_COOKIE, csrf, 3600))
    return csrf
  }
}
