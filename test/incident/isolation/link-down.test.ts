import {expect} from 'chai'

import {linkDownPlan, linkUpCommands, missingRoutes, parseLinks, routeArgs} from '../../../src/incident/isolation/link-down.js'
import {parseRoutes} from '../../../src/incident/isolation/snapshot.linux.js'
import {fixture} from '../../helpers/fake-exec.js'

describe('link-down fallback', () => {
  const links = parseLinks(fixture('linux/incident/ip-link-desktop.json'))
  const routes = parseRoutes(fixture('linux/incident/ip-route-table-all-desktop.json'))

  it('lists non-loopback links with their administrative state', () => {
    expect(links).to.deep.equal([
      {name: 'enp3s0', up: true},
      {name: 'wlp2s0', up: true},
      {name: 'docker0', up: true},
      {name: 'enp4s0', up: false},
    ])
  })

  it('downs only the links that were up, and raises only those again', () => {
    expect(linkDownPlan(links).map((c) => [c.file, ...c.args].join(' '))).to.deep.equal([
      'ip link set dev enp3s0 down',
      'ip link set dev wlp2s0 down',
      'ip link set dev docker0 down',
    ])
    expect(linkUpCommands(links)).to.deep.equal([
      ['link', 'set', 'dev', 'enp3s0', 'up'],
      ['link', 'set', 'dev', 'wlp2s0', 'up'],
      ['link', 'set', 'dev', 'docker0', 'up'],
    ])
  })

  it('re-adds the lost routes, never the ones the kernel makes itself', () => {
    // After the links come back up, only the kernel's own routes have returned.
    const afterUp = routes.filter((r) => r.protocol === 'kernel')
    expect(missingRoutes(routes, afterUp).map(routeArgs)).to.deep.equal([
      ['route', 'replace', 'default', 'via', '192.168.1.1', 'dev', 'enp3s0', 'metric', '100', 'proto', 'dhcp', 'src', '192.168.1.23'],
      ['route', 'replace', 'default', 'via', '192.168.8.1', 'dev', 'wlp2s0', 'metric', '600', 'proto', 'dhcp', 'src', '192.168.8.40'],
      ['route', 'replace', '10.20.0.0/16', 'via', '192.168.1.254', 'dev', 'enp3s0', 'metric', '100', 'proto', 'static'],
      ['route', 'replace', '169.254.0.0/16', 'dev', 'enp3s0', 'metric', '1000', 'scope', 'link'],
      ['route', 'replace', '172.16.5.0/24', 'via', '192.168.1.254', 'dev', 'enp3s0', 'table', '100', 'onlink'],
      ['-6', 'route', 'replace', 'default', 'via', 'fe80::1', 'dev', 'enp3s0', 'metric', '100', 'proto', 'ra'],
    ])
    expect(missingRoutes(routes, routes)).to.deep.equal([])
  })
})
