// The admin dashboard, served by the collector under /dashboard: server-rendered HTML, no scripts.
// Admins log in with the admin token (browsers present no client certificate), get a random
// session id in an HttpOnly, Secure, SameSite=Strict cookie, and every POST carries a CSRF token.
import type {IncomingMessage, ServerResponse} from 'node:http'

import type {Lang} from '../../i18n/lang.js'
import {matchesHash} from '../collector-dir.js'
import {agentDetail, fleetAgent, toCsv} from '../fleet.js'
import {STATUS} from '../protocol.js'
import {closeAfterAnswer, readCappedBody} from '../request-body.js'
import type {CollectorStore} from '../store/types.js'
import {LoginLimiter} from './login-limiter.js'
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
  loginLimiter?: LoginLimiter
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

interface Failing {
  clauses: string[]
  /** clause id → its text, from the reports themselves. */
  texts: Map<string, string>
}

/** The clauses of the failing checks in a stored report body (report@1 results[].clause). */
export function failingClauses(body: unknown): Failing {
  const texts = new Map<string, string>()
  const clauses: string[] = []
  const results = (body as {results?: unknown})?.results
  if (!Array.isArray(results)) return {clauses, texts}
  for (const r of results as Array<{status?: unknown; clause?: {id?: unknown; text?: unknown}}>) {
    const id = r?.clause?.id
    if (typeof id !== 'string') continue
    texts.set(id, typeof r.clause?.text === 'string' ? r.clause.text : '')
    if (r.status === 'fail' && !clauses.includes(id)) clauses.push(id)
  }
  return {clauses, texts}
}

export class Dashboard {
  readonly sessions: SessionStore
  readonly loginLimiter: LoginLimiter

  constructor(private readonly options: DashboardOptions) {
    this.sessions = options.sessions ?? new SessionStore()
    this.loginLimiter = options.loginLimiter ?? new LoginLimiter()
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

    const send = (status: number, body: string, type = 'text/html; charset=utf-8', extra: Record<string, string> = {}): void => {
      res.writeHead(status, {...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body), ...(setCookies.length > 0 ? {'set-cookie': setCookies} : {}), ...extra})
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
        const address = req.socket.remoteAddress ?? 'unknown'
        const at = this.options.now().getTime()
        const wait = this.loginLimiter.retryAfter(address, at)
        if (wait > 0) {
          const csrf = this.loginCsrf(cookies, setCookies)
          return send(STATUS.tooManyRequests, loginPage({...ctx, csrf: undefined}, csrf, tr(ctx, 'dashboard.tooManyLogins', {seconds: wait})), undefined, {'retry-after': String(wait)})
        }
        const token = form.get('token') ?? ''
        if (!matchesHash(token, this.options.adminTokenSha256)) {
          this.loginLimiter.fail(address, at)
          const csrf = this.loginCsrf(cookies, setCookies)
          return send(401, loginPage({...ctx, csrf: undefined}, csrf, tr(ctx, 'dashboard.wrongToken')))
        }
        this.loginLimiter.succeed(address)
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
    await this.page(path, url, ctx, send)
  }

  private async page(path: string, url: URL, ctx: PageContext, send: (status: number, body: string, type?: string, extra?: Record<string, string>) => void): Promise<void> {
    const {store, staleDays} = this.options
    if (path === `${DASHBOARD_PREFIX}/export.csv`) {
      const stamp = this.options.now().toISOString().slice(0, 7)
      return send(200, toCsv(await store.exportReports()), 'text/csv; charset=utf-8', {'content-disposition': `attachment; filename="nm-guard-${stamp}.csv"`})
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
      const summaries: ClauseSummary[] = [...texts].map(([id, text]) => ({id, text, failing: counts.get(id) ?? 0}))
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
      const detail = await agentDetail(store, id, this.options.now(), staleDays)
      if (detail) return send(200, agentPage(ctx, detail.agent, detail.reports, detail.incidents))
    }
    send(404, messagePage(ctx, tr(ctx, 'dashboard.notFoundTitle'), tr(ctx, 'dashboard.notFound')))
  }

  /**
   * Every agent with the clauses its latest report fails (kept on the agent row: no report bodies
   * read), and every clause text the collector has seen. Only a newest report stored before the
   * collector kept clauses (migration 3) is read, that one report per agent.
   */
  private async fleetRows(): Promise<{rows: FleetRow[]; texts: Map<string, string>}> {
    const {store, staleDays, now} = this.options
    const [agents, clauses] = await Promise.all([store.listAgentsWithLatest(), store.listClauses()])
    const texts = new Map(clauses.map((c) => [c.clause_id, c.text]))
    const at = now()
    const rows: FleetRow[] = []
    for (const {agent, incident, latest} of agents) {
      let clauseIds = latest?.failing_clauses ?? []
      if (latest && latest.failing_clauses === null) {
        const found = failingClauses((await store.getReport(latest.report_id))?.body)
        for (const [id, text] of found.texts) if (!texts.has(id)) texts.set(id, text)
        clauseIds = found.clauses
      }
      rows.push({...fleetAgent(agent, latest, at, staleDays, incident), failingClauses: clauseIds})
    }
    return {rows, texts}
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
