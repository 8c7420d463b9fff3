import {expect} from 'chai'

import {parseRoutes, snapshotLinux} from '../../../src/incident/isolation/snapshot.linux.js'
import {fakeExec, fixture} from '../../helpers/fake-exec.js'

describe('Linux network snapshot (recorded output)', () => {
  it('keeps the rulesets, the links that were up, every route and the bridge ports', async () => {
    const nft = 'table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}\n'
    const exec = fakeExec({
      'ip -j link': fixture('linux/incident/ip-link-desktop.json'),
      'ip -j route show table all': fixture('linux/incident/ip-route-table-all-desktop.json'),
      'ip -j -d link show type bridge_slave': fixture('linux/incident/ip-d-link-bridge-slave.json'),
      'iptables-save': fixture('linux/incident/iptables-save-debian12.txt'),
      'nft list ruleset': nft,
    })
    const saved = await snapshotLinux(exec)
    expect(saved.platform).to.equal('linux')
    expect(saved.nft_ruleset).to.equal(nft)
    expect(saved.iptables_save).to.equal(fixture('linux/incident/iptables-save-debian12.txt'))
    expect(saved.ip6tables_save).to.equal(null) // not installed
    expect(saved.links.filter((l) => l.up).map((l) => l.name)).to.deep.equal(['enp3s0', 'wlp2s0', 'docker0'])
    expect(saved.routes).to.have.length(16)
    // The iptables fallback takes these down, and reconnect raises the ones that were up.
    expect(saved.bridge_ports).to.deep.equal([
      {bridge: 'br0', name: 'veth-pc', up: true},
      {bridge: 'br0', name: 'veth-vm', up: true},
      {bridge: 'virbr0', name: 'vnet0', up: false},
    ])
  })

  it('records null, not an empty ruleset, when nft cannot list (no permission) and empty lists without ip', async () => {
    const exec = fakeExec({'nft list ruleset': {code: 1, stderr: fixture('linux/nft-permission-denied.txt')}})
    const saved = await snapshotLinux(exec)
    expect(saved).to.deep.include({bridge_ports: [], ip6tables_save: null, iptables_save: null, links: [], nft_ruleset: null, routes: []})
  })

  it('rejects route output that is not a JSON array', () => {
    expect(() => parseRoutes('{"dst":"default"}')).to.throw(/not a JSON array/)
  })
})
