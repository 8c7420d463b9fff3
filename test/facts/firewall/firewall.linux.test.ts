import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, firewalldZoneTarget, parseIptablesRules, parseNftRuleset, ufwRow} from '../../../src/facts/firewall/firewall.linux.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'
import {fakeProcess, fakeRoot, removeFakeRoots} from '../linux/fake-root.js'

const NFT = 'nft -j list ruleset'
const IPT = 'iptables -S'
const noProc = {proc: {dir: true}} as const

describe('firewall (linux)', () => {
  after(removeFakeRoots)

  describe('parseNftRuleset', () => {
    it('an empty rule set filters nothing', () => {
      expect(parseNftRuleset(fixture('linux/nft-ruleset-empty.json')).row).to.deep.equal({default_inbound: 'accept', default_outbound: 'accept', enabled: false, name: 'nftables'})
    })

    it('an inet table with a drop input policy filters', () => {
      expect(parseNftRuleset(fixture('linux/nft-ruleset-inet-drop.json')).row).to.deep.equal({default_inbound: 'drop', default_outbound: 'accept', enabled: true, name: 'nftables'})
    })

    it('sees iptables-nft rules and their chain names', () => {
      const summary = parseNftRuleset(fixture('linux/nft-ruleset-iptables-nft.json'))
      expect(summary.row).to.include({default_inbound: 'drop', enabled: true})
      expect(summary.chains).to.include('ufw-before-input')
    })

    it('Docker\'s forwarding rules alone do not filter inbound traffic', () => {
      expect(parseNftRuleset(fixture('linux/nft-ruleset-docker.json')).row).to.include({default_inbound: 'accept', enabled: false})
    })

    it('rejects output that is not JSON', () => {
      expect(() => parseNftRuleset('table inet filter {')).to.throw(/did not print JSON/)
    })
  })

  it('parseIptablesRules reads policies and INPUT rules', () => {
    expect(parseIptablesRules(fixture('linux/iptables-S-default.txt')).row).to.deep.equal({default_inbound: 'accept', default_outbound: 'accept', enabled: false, name: 'iptables'})
    expect(parseIptablesRules(fixture('linux/iptables-S-ufw-drop.txt')).row).to.deep.equal({default_inbound: 'drop', default_outbound: 'accept', enabled: true, name: 'iptables'})
    const docker = parseIptablesRules(fixture('linux/iptables-S-docker.txt'))
    expect(docker.row).to.include({enabled: false})
    expect(docker.chains).to.deep.equal(['DOCKER', 'DOCKER-USER'])
  })

  it('ufwRow trusts ufw.conf only as far as the kernel shows ufw\'s chains', () => {
    const conf = fixture('linux/ufw.conf')
    const on = conf.replace('ENABLED=no', 'ENABLED=yes')
    const defaults = fixture('linux/default-ufw')
    expect(ufwRow(conf, defaults, null)).to.deep.equal({default_inbound: 'drop', default_outbound: 'accept', enabled: false, name: 'ufw'})
    expect(ufwRow(on, defaults, ['ufw-before-input'])).to.include({enabled: true})
    expect(ufwRow(on, defaults, ['DOCKER'])).to.include({enabled: false})
    expect(ufwRow(on, defaults, null)).to.include({enabled: true})
  })

  it('firewalldZoneTarget: the default target rejects', () => {
    expect(firewalldZoneTarget(fixture('linux/firewalld-zone-public.xml'))).to.equal('reject')
    expect(firewalldZoneTarget(fixture('linux/firewalld-zone-drop.xml'))).to.equal('drop')
    expect(firewalldZoneTarget(null)).to.equal(null)
  })

  it('collect reports nftables and iptables', async () => {
    const exec = fakeExec({[IPT]: fixture('linux/iptables-S-default.txt'), [NFT]: fixture('linux/nft-ruleset-inet-drop.json')})
    const rows = await collect(testContext('linux', {exec}), fakeRoot(noProc))
    expect(rows.map((r) => `${r.name}:${r.enabled}:${r.default_inbound}`)).to.deep.equal(['nftables:true:drop', 'iptables:false:accept'])
  })

  it('collect reads ufw and a running firewalld from their files', async () => {
    const root = fakeRoot({
      ...fakeProcess(611, {exe: '/usr/bin/python3.11', name: 'firewalld'}),
      'etc/default/ufw': fixture('linux/default-ufw'),
      'etc/firewalld/firewalld.conf': fixture('linux/firewalld.conf'),
      'etc/ufw/ufw.conf': fixture('linux/ufw.conf'),
      'usr/lib/firewalld/zones/public.xml': fixture('linux/firewalld-zone-public.xml'),
    })
    const exec = fakeExec({[NFT]: fixture('linux/nft-ruleset-empty.json')})
    const rows = await collect(testContext('linux', {exec}), root)
    expect(rows).to.deep.equal([
      {default_inbound: 'accept', default_outbound: 'accept', enabled: false, name: 'nftables'},
      {default_inbound: 'drop', default_outbound: 'accept', enabled: false, name: 'ufw'},
      {default_inbound: 'reject', default_outbound: 'accept', enabled: true, name: 'firewalld'},
    ])
  })

  it('collect needs root when the kernel\'s rules are hidden', async () => {
    const exec = fakeExec({
      [IPT]: {code: 4, stderr: fixture('linux/iptables-permission-denied.txt')},
      [NFT]: {code: 1, stderr: fixture('linux/nft-permission-denied.txt')},
    })
    const error = await collect(testContext('linux', {exec}), fakeRoot(noProc)).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(FactError)
    expect((error as FactError).kind).to.equal('permission')
    expect((error as FactError).message).to.equal('needs administrator/root: nft list ruleset, iptables -S')
  })

  it('collect throws missing_tool without any firewall tool', async () => {
    const error = await collect(testContext('linux', {exec: fakeExec({})}), fakeRoot(noProc)).catch((e: unknown) => e)
    expect((error as FactError).kind).to.equal('missing_tool')
    expect((error as FactError).message).to.equal('nft not found (install nftables)')
  })
})
