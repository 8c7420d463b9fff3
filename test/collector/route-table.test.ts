import {expect} from 'chai'

import type {Handler} from '../../src/collector/api/context.js'
import {HttpError} from '../../src/collector/http/http-error.js'
import {API} from '../../src/collector/protocol.js'
import {findRoute, routeTable} from '../../src/collector/route-table.js'

describe('collector route table', () => {
  const dashboard: Handler = async () => {}
  const routes = routeTable(dashboard)
  const refusal = (method: string, path: string): [number, Record<string, string>] => {
    try {
      findRoute(routes, method, path)
    } catch (error) {
      return [(error as HttpError).status, (error as HttpError).headers]
    }
    return [0, {}]
  }

  it('finds exact paths and passes a prefix route what follows its prefix', () => {
    expect(findRoute(routes, 'POST', API.reports)).to.include({rest: ''})
    expect(findRoute(routes, 'GET', `${API.agentPrefix}abc%20d`).rest).to.equal('abc%20d')
    expect(findRoute(routes, 'POST', '/dashboard/login').route.handler).to.equal(dashboard)
    expect(findRoute(routes, 'DELETE', '/dashboard').route.handler).to.equal(dashboard)
  })

  it('is a 405 with Allow for a known path and another method, a 404 for an unknown path', () => {
    expect(refusal('GET', API.reports)).to.deep.equal([405, {allow: 'POST'}])
    expect(refusal('POST', '/')).to.deep.equal([405, {allow: 'GET, HEAD'}])
    expect(refusal('GET', '/api/v1/nothing')[0]).to.equal(404)
    // '/' is an exact route, never a prefix of everything.
    expect(refusal('GET', '/etc/passwd')[0]).to.equal(404)
    expect(refusal('GET', '/dashboardx')[0]).to.equal(404)
  })
})
