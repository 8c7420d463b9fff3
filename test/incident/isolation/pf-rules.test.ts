import {expect} from 'chai'

import {darwinPlan, evaluatesAppleAnchors, parsePfInfo, parsePfToken, pfAnchorRules, upBridges} from '../../../src/incident/isolation/pf-rules.js'
import {renderCommand} from '../../../src/incident/isolation/render-plan.js'
import type {CollectorEndpoint, SavedNetworkState} from '../../../src/incident/types.js'
import {fixture} from '../../helpers/fake-exec.js'

const saved: SavedNetworkState = {ip6tables_save: null, iptables_save: null, links: [], nft_ruleset: null, pf: {enabled: false, token: null}, platform: 'darwin', routes: []}
const keep: CollectorEndpoint = {addresses: ['203.0.113.10', '2001:db8::10'], host: 'c', port: 8443, url: 'https://c:8443'}

describe('macOS pf isolation plan', () => {
  it('is exactly: load the anchor, enable pf (token), flush states', () => {
    const plan = darwinPlan(saved, null)
    expect(plan.method).to.equal('pf')
    expect(plan.commands.map((c) => `${renderCommand(c)}  # ${c.purpose}`)).to.deep.equal([
      '/sbin/pfctl -a com.apple/nm_guard -f - <<stdin  # incident.step.pfAnchor',
      '/sbin/pfctl -E  # incident.step.pfEnable',
      '/sbin/pfctl -F states  # incident.step.pfFlushStates',
    ])
    expect(plan.commands[0]?.input).to.equal('pass quick on lo0 all\nblock drop quick all\n')
  })

  it('takes every bridge that was up down after the block: pf does not see what a bridge forwards (#11 2.4)', () => {
    const plan = darwinPlan({...saved, darwin_bridges: ['bridge100', 'bridge101']}, null)
    expect(plan.commands.map((c) => `${renderCommand(c)}  # ${c.purpose}`).slice(3)).to.deep.equal([
      '/sbin/ifconfig bridge100 down  # incident.step.bridgeDown',
      '/sbin/ifconfig bridge101 down  # incident.step.bridgeDown',
    ])
    expect(upBridges('lo0 gif0 stf0 en0 en1 bridge100 vmenet0 utun0\n')).to.deep.equal(['bridge100'])
  })

  it('passes only TCP out to the collector before the final block', () => {
    expect(pfAnchorRules(keep)).to.equal(
      'pass quick on lo0 all\n' +
        'pass out quick proto tcp from any to 203.0.113.10 port 8443 keep state\n' +
        'pass out quick proto tcp from any to 2001:db8::10 port 8443 keep state\n' +
        'block drop quick all\n',
    )
    // No `pass in`: keep state lets the replies of this PC's own connections back, nothing else (issue #11, 2.2).
    expect(pfAnchorRules(keep)).to.not.match(/pass in|pass quick proto|from 203\.0\.113\.10/)
    expect(() => pfAnchorRules({...keep, addresses: ['any']})).to.throw(/not an IP address/)
  })

  it('reads pfctl -s info and the token pfctl -E prints', () => {
    expect(parsePfInfo(fixture('darwin/incident/pfctl-s-info-enabled.txt'))).to.deep.equal({enabled: true})
    expect(parsePfInfo(fixture('darwin/incident/pfctl-s-info-disabled.txt'))).to.deep.equal({enabled: false})
    expect(() => parsePfInfo('pfctl: /dev/pf: Permission denied\n')).to.throw(/no Status line/)
    expect(parsePfToken(fixture('darwin/incident/pfctl-E.stderr.txt'))).to.equal('13148305614935744919')
    expect(parsePfToken('pf already enabled\n')).to.equal(null)
  })
})

describe('pf main ruleset', () => {
  it('evaluates the com.apple anchors when the stock rules are loaded', () => {
    expect(evaluatesAppleAnchors(fixture('darwin/incident/pfctl-s-rules-stock.txt'))).to.equal(true)
    expect(evaluatesAppleAnchors('')).to.equal(false)
    expect(evaluatesAppleAnchors('scrub-anchor "com.apple/*" all fragment reassemble\n')).to.equal(false)
  })
})
