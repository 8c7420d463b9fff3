import {expect} from 'chai'

import {countJumps, hasChain, iptablesPlan, iptablesRestoreInput, normalizeIptablesSave} from '../../../src/incident/isolation/iptables-rules.js'
import type {CollectorEndpoint} from '../../../src/incident/types.js'
import {fixture} from '../../helpers/fake-exec.js'

const keep: CollectorEndpoint = {addresses: ['203.0.113.10', '2001:db8::10'], host: 'c', port: 443, url: 'https://c'}

describe('iptables fallback rules', () => {
  it('build one NM_GUARD chain, loopback accepted, everything else dropped, jumped to first', () => {
    expect(iptablesRestoreInput(4, null)).to.equal(`*filter
:NM_GUARD - [0:0]
-A NM_GUARD -i lo -j ACCEPT
-A NM_GUARD -o lo -j ACCEPT
-A NM_GUARD -j DROP
-I INPUT 1 -j NM_GUARD
-I OUTPUT 1 -j NM_GUARD
-I FORWARD 1 -j NM_GUARD
COMMIT
`)
  })

  it('keep the collector per family: IPv4 addresses for iptables, IPv6 for ip6tables', () => {
    const v4 = iptablesRestoreInput(4, keep)
    expect(v4).to.include(
      '-A NM_GUARD -d 203.0.113.10 -p tcp -m tcp --dport 443 -j ACCEPT\n-A NM_GUARD -s 203.0.113.10 -p tcp -m tcp --sport 443 -m conntrack --ctstate ESTABLISHED -j ACCEPT\n-A NM_GUARD -j DROP',
    )
    expect(v4).to.not.include('2001:db8')
    const v6 = iptablesRestoreInput(6, keep)
    expect(v6).to.include('-A NM_GUARD -d 2001:db8::10 -p tcp -m tcp --dport 443 -j ACCEPT\n-A NM_GUARD -s 2001:db8::10 -p tcp -m tcp --sport 443 -m conntrack --ctstate ESTABLISHED -j ACCEPT\n')
    expect(v6).to.not.include('203.0.113.10')
    expect(iptablesPlan(6, keep)).to.deep.include({args: ['-w', '--noflush'], file: 'ip6tables-restore', purpose: 'incident.step.ip6tables'})
  })

  it('count the jumps to remove and see the chain in `iptables -S`', () => {
    const listing = fixture('linux/incident/iptables-S-isolated.txt')
    expect(countJumps(listing)).to.deep.equal({FORWARD: 2, INPUT: 1, OUTPUT: 1})
    expect(hasChain(listing)).to.equal(true)
    expect(hasChain(fixture('linux/iptables-S-default.txt'))).to.equal(false)
  })

  it('compare iptables-save output without comments and counters', () => {
    const saved = fixture('linux/incident/iptables-save-debian12.txt')
    const later = saved.replace('[1532:201873]', '[99:1]').replaceAll('08:00:00', '09:30:00')
    expect(normalizeIptablesSave(later)).to.equal(normalizeIptablesSave(saved))
    expect(normalizeIptablesSave(later.replace('--dport 22', '--dport 23'))).to.not.equal(normalizeIptablesSave(saved))
  })
})
