import {expect} from 'chai'

import {gatewayOf} from '../../src/incident/gateway.js'
import type {SavedNetworkState} from '../../src/incident/types.js'
import {fakeExec, fixture} from '../helpers/fake-exec.js'
import {psFixture, winContext} from '../facts/win32/ps-fixtures.js'

const saved = (platform: SavedNetworkState['platform'], routes: Record<string, unknown>[] = []): SavedNetworkState => ({ip6tables_save: null, iptables_save: null, links: [], nft_ruleset: null, platform, routes})

describe('gatewayOf', () => {
  it('Linux: the journalled default route', async () => {
    expect(await gatewayOf('linux', saved('linux', [{dev: 'enp3s0', dst: 'default', gateway: '10.12.0.1', metric: 100}]), fakeExec({}))).to.equal('10.12.0.1')
  })

  it('Windows: the gateway of the adapter holding the default route, from the adapters batch', async () => {
    expect(await gatewayOf('win32', saved('win32'), winContext({network_adapters: psFixture('network-adapters.json')}).exec)).to.equal('10.13.20.1')
    expect(await gatewayOf('win32', saved('win32'), fakeExec({}))).to.equal(null)
  })

  it('macOS: route -n get default', async () => {
    expect(await gatewayOf('darwin', saved('darwin'), fakeExec({'/sbin/route -n get default': fixture('darwin/route-get-default.txt')}))).to.equal('192.168.31.1')
    expect(await gatewayOf('darwin', saved('darwin'), fakeExec({'/sbin/route -n get default': {code: 1, stderr: fixture('darwin/route-get-default-none.stderr.txt')}}))).to.equal(null)
  })
})
