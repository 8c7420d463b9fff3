import {expect} from 'chai'

import {renderPlan} from '../../src/incident/render-plan.js'
import type {IsolationPlan} from '../../src/incident/types.js'

describe('renderPlan', () => {
  it('numbers each step with why, then the command, then what it reads on stdin', () => {
    const plan: IsolationPlan = {
      commands: [
        {args: ['-f', '-'], file: 'nft', input: 'table inet nm_guard {\n}\n', purpose: 'incident.verify.added'},
        {args: ['advfirewall', 'firewall', 'add', 'rule', 'name=nm-guard collector'], file: 'netsh', purpose: 'incident.verify.removed'},
      ],
      method: 'nftables',
      platform: 'linux',
    }
    expect(renderPlan(plan, 'en').split('\n')).to.deep.equal([
      'Isolation plan (linux, nftables): nothing is changed by --dry-run',
      '1. added',
      '   $ nft -f - <<stdin',
      '     table inet nm_guard {',
      '     }',
      '2. removed',
      '   $ netsh advfirewall firewall add rule "name=nm-guard collector"',
    ])
    expect(renderPlan(plan, 'zh-CN')).to.match(/^断网方案（linux，nftables）/)
  })
})
