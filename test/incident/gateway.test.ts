import {expect} from 'chai'

import {gatewayOf} from '../../src/incident/gateway.js'
import type {SavedNetworkState} from '../../src/incident/types.js'
import {fakeExec, fixture} from '../helpers/fake-exec.js'

const saved = (platform: SavedNetworkState['platform'], routes: Record<string, unknown>[] = []): SavedNetworkState => ({ip6tables_save: null, iptables_save: null, links: [], nft_ruleset: null, platform, routes})

describe('gatewayOf', () => {
  it('Linux: the journalled default route', async () => {
    expect(await gatewayOf('linux', saved('linux', [{dev: 'enp3s0', dst: 'default', gateway: '10.12.0.1', metric: 100}]), fakeExec({}))).to.equal('10.12.0.1')
  })

  it('Windows: the active default route with the lowest metric, in English and Chinese, never "On-link"', async () => {
    expect(await gatewayOf('win32', saved('win32'), fakeExec({'route print -4 0.0.0.0': fixture('win32/incident/route-print-default-en.txt')}))).to.equal('10.12.0.1')
    expect(await gatewayOf('win32', saved('win32'), fakeExec({'route print -4 0.0.0.0': fixture('win32/incident/route-print-default-zh.txt')}))).to.equal('172.16.20.1')
    expect(await gatewayOf('win32', saved('win32'), fakeExec({}))).to.equal(null)
  })

  it('macOS: route -n get default', async () => {
    expect(await gatewayOf('darwin', saved('darwin'), fakeExec({'route -n get default': fixture('darwin/incident/route-get-default.txt')}))).to.equal('192.168.1.1')
    expect(await gatewayOf('darwin', saved('darwin'), fakeExec({'route -n get default': {code: 1, stderr: fixture('darwin/incident/route-get-default-none.txt')}}))).to.equal(null)
  })
})
