import {expect} from 'chai'

import {bridgeCheck, bridgePortsDownPlan, parseBridgePorts} from '../../../src/incident/isolation/bridge-ports.js'
import {renderCommand} from '../../../src/incident/isolation/render-plan.js'
import {fixture} from '../../helpers/fake-exec.js'

// Recorded in a test namespace: br0 bridging the PC's link and a VM's veth, and virbr0 whose one
// port (a VM that is off) is down. iproute2 prints `{}` for every link that is not a bridge port.
const ports = () => parseBridgePorts(fixture('linux/incident/ip-d-link-bridge-slave.json'))

describe('bridge ports (#11 2.4)', () => {
  it('reads each port, its bridge, whether it is up and whether it forwards', () => {
    expect(ports()).to.deep.equal([
      {bridge: 'br0', forwarding: true, name: 'veth-pc', up: true},
      {bridge: 'br0', forwarding: true, name: 'veth-vm', up: true},
      {bridge: 'virbr0', forwarding: false, name: 'vnet0', up: false},
    ])
    expect(parseBridgePorts('[{},{}]')).to.deep.equal([])
    // A bond's port has a master too, but is no bridge port.
    expect(parseBridgePorts('[{"ifname":"d0","master":"bond0","flags":["UP"],"linkinfo":{"info_slave_kind":"bond"}}]')).to.deep.equal([])
    expect(() => parseBridgePorts('{}')).to.throw(/not a JSON array/)
  })

  it('plans the iptables fallback to take down every port that is up', () => {
    expect(bridgePortsDownPlan(ports()).map((c) => `${renderCommand(c)}  # ${c.purpose}`)).to.deep.equal([
      'ip link set dev veth-pc down  # incident.step.bridgePortDown',
      'ip link set dev veth-vm down  # incident.step.bridgePortDown',
    ])
  })

  it('calls a bridge open when two of its ports forward and no bridge table drops its frames', () => {
    expect(bridgeCheck(ports(), false)).to.deep.equal({bridges: ['br0'], state: 'reachable'})
    expect(bridgeCheck(ports(), true)).to.deep.equal({bridges: ['br0', 'virbr0'], state: 'blocked'})
    const down = ports().map((p) => (p.name === 'veth-vm' ? {...p, forwarding: false, up: false} : p))
    expect(bridgeCheck(down, false)).to.deep.equal({bridges: ['br0', 'virbr0'], state: 'blocked'})
    expect(bridgeCheck([], false)).to.equal(null)
  })
})
