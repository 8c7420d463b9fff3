import {expect} from 'chai'

import {bigIntToIpv6, complementRanges, ipv6ToBigInt} from '../../../src/incident/isolation/ip-ranges.js'

describe('address complements for Windows block rules', () => {
  it('cover everything but the given addresses, per family', () => {
    expect(complementRanges([])).to.deep.equal(['0.0.0.0-255.255.255.255', '0:0:0:0:0:0:0:0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'])
    expect(complementRanges(['10.0.0.2', '10.0.0.1', '10.0.0.2'])).to.deep.equal(['0.0.0.0-10.0.0.0', '10.0.0.3-255.255.255.255', '0:0:0:0:0:0:0:0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'])
    expect(complementRanges(['0.0.0.0', '255.255.255.255', '10.0.0.5', '10.0.0.7']).slice(0, 3)).to.deep.equal(['0.0.0.1-10.0.0.4', '10.0.0.6', '10.0.0.8-255.255.255.254'])
  })

  it('expand compressed and IPv4-mapped IPv6', () => {
    expect(bigIntToIpv6(ipv6ToBigInt('2001:db8::1'))).to.equal('2001:db8:0:0:0:0:0:1')
    expect(bigIntToIpv6(ipv6ToBigInt('::ffff:192.0.2.1'))).to.equal('0:0:0:0:0:ffff:c000:201')
    expect(bigIntToIpv6(ipv6ToBigInt('::'))).to.equal('0:0:0:0:0:0:0:0')
    expect(bigIntToIpv6(ipv6ToBigInt('fe80::'))).to.equal('fe80:0:0:0:0:0:0:0')
  })

  it('refuse a host name', () => {
    expect(() => complementRanges(['collector.example'])).to.throw(/not an IP address/)
  })
})
