import {expect} from 'chai'

import {checkAddress, nftIsolationScript, nftRemoveScript, nftRestoreScript, normalizeNftRuleset} from '../../../src/incident/isolation/nftables-script.js'
import type {CollectorEndpoint} from '../../../src/incident/types.js'

const keep: CollectorEndpoint = {addresses: ['203.0.113.10', '2001:db8::10'], host: 'collector.example.gov.cn', port: 8443, url: 'https://collector.example.gov.cn:8443'}

describe('nftables isolation script', () => {
  it('is an inet table with drop policies, loopback allowed, and no established-connection accept, and a bridge table dropping bridged frames (#11 2.4)', () => {
    expect(nftIsolationScript(null)).to.equal(`table inet nm_guard
delete table inet nm_guard
table inet nm_guard {
  chain input {
    type filter hook input priority -300; policy drop;
    iifname "lo" accept
  }
  chain output {
    type filter hook output priority -300; policy drop;
    oifname "lo" accept
  }
  chain forward {
    type filter hook forward priority -300; policy drop;
  }
}
table bridge nm_guard
delete table bridge nm_guard
table bridge nm_guard {
  chain forward {
    type filter hook forward priority -300; policy drop;
  }
}
`)
  })

  it('keeps only TCP this PC opens to each collector address and port, and its replies, per address family', () => {
    const script = nftIsolationScript(keep)
    // Inbound only what conntrack knows as established: a connection opened from the collector's
    // address and port is `new` and dropped (issue #11, 2.2).
    expect(script).to.include(
      '    iifname "lo" accept\n    ip saddr 203.0.113.10 tcp sport 8443 ct state established accept\n    ip6 saddr 2001:db8::10 tcp sport 8443 ct state established accept\n  }',
    )
    expect(script).to.include('    oifname "lo" accept\n    ip daddr 203.0.113.10 tcp dport 8443 accept\n    ip6 daddr 2001:db8::10 tcp dport 8443 accept\n  }')
    expect(script.match(/ct state/g)).to.have.length(2)
    expect(script).to.not.match(/ct state [^\n]*new/)
    expect(script).to.not.match(/related/)
  })

  it('refuses anything but IP literals and real ports (no script injection)', () => {
    expect(() => nftIsolationScript({...keep, addresses: ['1.2.3.4; flush ruleset']})).to.throw(/not an IP address/)
    expect(() => nftIsolationScript({...keep, port: 0})).to.throw(/not a TCP port/)
    expect(() => checkAddress('evil.example')).to.throw(/not an IP address/)
  })

  it('removes only its tables, and restores a saved ruleset in one flush-and-load transaction', () => {
    expect(nftRemoveScript()).to.equal('table inet nm_guard\ndelete table inet nm_guard\ntable bridge nm_guard\ndelete table bridge nm_guard\n')
    expect(nftRestoreScript('table ip x {\n}\n')).to.equal('flush ruleset\ntable ip x {\n}\n')
    expect(nftRestoreScript('table ip x {\n}')).to.equal('flush ruleset\ntable ip x {\n}\n')
    expect(nftRestoreScript('')).to.equal('flush ruleset\n')
  })

  it('compares rulesets without counter values and set timers', () => {
    const a = 'table inet f {\n\tchain c {\n\t\ttcp dport 22 counter packets 10 bytes 600 accept\n\t\telements = { 1.2.3.4 expires 9s }\n\t}\n}\n'
    const b = 'table inet f {\n\tchain c {\n\t\ttcp dport 22 counter packets 99 bytes 6100 accept\n\t\telements = { 1.2.3.4 expires 2s }\n\t}\n}\n'
    expect(normalizeNftRuleset(a)).to.equal(normalizeNftRuleset(b))
    expect(normalizeNftRuleset(a)).to.not.equal(normalizeNftRuleset(b.replace('22', '23')))
  })
})
