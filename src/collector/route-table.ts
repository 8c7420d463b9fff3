// Every path the collector answers, in one table: who may call it is written next to it (agents
// by client certificate, administrators by token, browsers through the dashboard's own login).
import {agentHandler, exportHandler, fleetHandler} from './api/admin.js'
import type {Handler} from './api/context.js'
import {enroll} from './api/enroll.js'
import {receiveIncident} from './api/incidents.js'
import {receiveReport} from './api/reports.js'
import {HttpError} from './http/http-error.js'
import {API, STATUS} from './protocol.js'
import {DASHBOARD_PREFIX} from './dashboard/routes.js'
import {redirect, send} from './http/respond.js'

export interface Route {
  /** An exact path, or (ending in '/') a prefix whose remainder is passed to the handler. */
  path: string
  /** The methods allowed; '*' leaves methods to the handler (the dashboard). */
  methods: readonly string[] | '*'
  handler: Handler
}

export function routeTable(dashboard: Handler): Route[] {
  return [
    // A browser pointed at the collector's bare address lands on the dashboard.
    {path: '/', methods: ['GET', 'HEAD'], handler: async (_req, res) => redirect(res, DASHBOARD_PREFIX)},
    {path: API.health, methods: ['GET'], handler: async (_req, res) => send(res, STATUS.ok, {status: 'ok'})},
    // Anyone with a one-time token.
    {path: API.enroll, methods: ['POST'], handler: enroll},
    // Agents, by client certificate.
    {path: API.reports, methods: ['POST'], handler: receiveReport},
    {path: API.incidents, methods: ['POST'], handler: receiveIncident},
    // Administrators, by Bearer token.
    {path: API.fleet, methods: ['GET'], handler: fleetHandler},
    {path: API.exportCsv, methods: ['GET'], handler: exportHandler},
    {path: API.agentPrefix, methods: ['GET'], handler: agentHandler},
    // Browsers: the dashboard does its own login, sessions and CSRF checks.
    {path: DASHBOARD_PREFIX, methods: '*', handler: dashboard},
    {path: `${DASHBOARD_PREFIX}/`, methods: '*', handler: dashboard},
  ]
}

/** The route for `path` and what follows its prefix; a 404 or 405 when there is none. */
export function findRoute(routes: Route[], method: string, path: string): {route: Route; rest: string} {
  const exact = routes.find((r) => r.path === path)
  const found = exact ? {route: exact, rest: ''} : routes.filter((r) => r.path.endsWith('/') && r.path !== '/' && path.startsWith(r.path)).map((route) => ({route, rest: path.slice(route.path.length)}))[0]
  if (!found) throw new HttpError(STATUS.notFound, 'not found')
  const {methods} = found.route
  if (methods !== '*' && !methods.includes(method)) throw new HttpError(STATUS.methodNotAllowed, `use ${methods[0]} for ${path}`, {allow: methods.join(', ')})
  return found
}
