import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {buildDistrictPolicy} from '../../src/policy/init/build-policy.js'
import {answersFromFlags, completeAnswers} from '../../src/policy/init/from-flags.js'
import {defaultPolicyPath} from '../../src/policy/load-policy.js'
import {parsePolicy} from '../../src/policy/parse-policy.js'
import type {Policy} from '../../src/policy/types.js'
import {ROOT} from '../helpers/run-cli.js'

const EXAMPLE = join(ROOT, 'policies', 'examples', 'gaocheng-district.yaml')

/** The flags of the command in policies/examples/README.md. */
const FLAGS = {
  'contact-en': 'District cyberspace office, security duty room',
  'contact-zh': '区委网信办网络安全值班室',
  'police-phone': '110',
  ssid: ['GC-ZWGK-5F', 'GC-ZWGK-3F'],
  subnet: ['10.13.0.0/16'],
  'unit-en': 'Gaocheng District Government Office',
  'unit-zh': '石家庄市藁城区人民政府办公室',
  'vpn-always': false,
  'wangxin-phone': '0311-00000000',
}

function valid(text: string, file: string): Policy {
  const parsed = parsePolicy(text, file)
  expect(parsed.problems, file).to.deep.equal([])
  return parsed.policy as Policy
}

describe('the example district policy', () => {
  it('is what policy init makes from the default policy as it is now', () => {
    const defaultText = readFileSync(defaultPolicyPath(), 'utf8')
    const base = valid(defaultText, defaultPolicyPath())
    const made = buildDistrictPolicy({
      answers: completeAnswers(answersFromFlags(FLAGS), undefined, false),
      base: `${base.policy.id} ${base.policy.version}`,
      date: '2000-01-01',
      defaultText,
    })
    // Compared as data: the made-on date (a comment) aside, any drift from the default shows here.
    const example = valid(readFileSync(EXAMPLE, 'utf8'), EXAMPLE)
    expect(example, 'regenerate it with the command in policies/examples/README.md').to.deep.equal(valid(made, 'made'))
    expect(example.checks.map((check) => check.id)).to.deep.equal(base.checks.map((check) => check.id))
    expect(example.variables).to.deep.include({approved_ssids: ['GC-ZWGK-5F', 'GC-ZWGK-3F'], approved_subnets: ['10.13.0.0/16'], unit_name: '石家庄市藁城区人民政府办公室'})
  })
})
