import {readFileSync} from 'node:fs'

import {expect} from 'chai'
import fc from 'fast-check'
import {parse} from 'yaml'

import {checkName, checkSsid, type InitAnswers} from '../../../src/policy/init/answers.js'
import {buildDistrictPolicy, districtId} from '../../../src/policy/init/build-policy.js'
import {defaultPolicyPath} from '../../../src/policy/load-policy.js'
import {parsePolicy} from '../../../src/policy/parse-policy.js'
import type {Policy} from '../../../src/policy/types.js'

const defaultText = readFileSync(defaultPolicyPath(), 'utf8')
const base = parsePolicy(defaultText, defaultPolicyPath()).policy as Policy

const ANSWERS: InitAnswers = {
  contactEn: 'District cyberspace office duty room',
  contactZh: '区委网信办值班室',
  kmsHosts: ['kms.gc.gov.cn'],
  policePhone: '0311-00000001',
  ssids: ['GC-ZWGK-5F', 'GC-ZWGK-3F'],
  subnets: ['10.13.0.0/16', '2001:DB8:0:0::/48'],
  unitEn: 'Gaocheng District Government Office',
  unitZh: '石家庄市藁城区人民政府办公室',
  vpnAlways: true,
  wangxinPhone: '0311-00000000',
}

const SMALL_DEFAULT = `policy:
  id: x
  version: '1'
  title: {zh: x, en: x}
  unit: {zh: x, en: x}
variables:
  unit_name: x
  approved_ssids: null   # not configured
  approved_subnets: null
  vpn_required_always: false
  approved_kms_hosts: []
checks: []
`

const build = (answers: InitAnswers = ANSWERS): string => buildDistrictPolicy({answers, base: 'gaocheng-2023 1.0.0', date: '2026-12-01', defaultText})

function parsed(text: string): Policy {
  const result = parsePolicy(text, 'district.yaml')
  expect(result.problems).to.deep.equal([])
  return result.policy as Policy
}

describe('policy init: the district policy made from the default', () => {
  it('is valid, has the default checks unchanged, and sets the answers', () => {
    const text = build()
    const policy = parsed(text)
    expect(policy.checks).to.deep.equal(base.checks)
    expect(policy.policy).to.deep.include({
      id: 'district-gaocheng-district-government-office',
      incident_contact: {
        en: 'District cyberspace office duty room; cyberspace affairs office 0311-00000000; police 0311-00000001',
        zh: '区委网信办值班室；网信部门 0311-00000000；公安机关 0311-00000001',
      },
      unit: {en: 'Gaocheng District Government Office', zh: '石家庄市藁城区人民政府办公室'},
      version: base.policy.version,
    })
    expect(policy.policy.title.zh).to.equal('石家庄市藁城区人民政府办公室政务新媒体专用电脑安全防护要求（四(二)）')
    const changed = {
      approved_kms_hosts: ['kms.gc.gov.cn'],
      approved_ssids: ['GC-ZWGK-5F', 'GC-ZWGK-3F'],
      approved_subnets: ['10.13.0.0/16', '2001:db8::/48'],
      unit_name: '石家庄市藁城区人民政府办公室',
      vpn_required_always: true,
    }
    expect(policy.variables).to.deep.equal({...base.variables, ...changed})
  })

  it('keeps the default comments and says where it came from', () => {
    const text = build()
    const lines = text.split('\n')
    expect(lines[0]).to.equal('# Made by `nm-guard policy init` from the default policy gaocheng-2023 1.0.0 on 2026-12-01.')
    expect(lines.slice(0, 6).join('\n')).to.include('由 `nm-guard policy init` 于 2026-12-01 根据默认策略 gaocheng-2023 1.0.0 生成。')
    // Every comment line of the default is still there, trailing ones in their column.
    const comments = (t: string): string[] => t.split('\n').filter((line) => /^\s*#/.test(line))
    expect(comments(text)).to.include.members(comments(defaultText))
    const aligned = defaultText.split('\n').find((line) => line.startsWith('  patch_max_days:'))
    expect(lines).to.include(aligned)
    expect(text).to.match(/\n {2}approved_kms_hosts: \[kms\.gc\.gov\.cn\] +# /)
  })

  it('derives a schema-valid id from any English name', () => {
    expect(districtId('Gaocheng District (Shijiazhuang) — Office!')).to.equal('district-gaocheng-district-shijiazhuang-office')
    expect(districtId('藁城区')).to.equal('district')
    expect(districtId(`${'Very long name '.repeat(10)}`)).to.match(/^district-[a-z0-9][a-z0-9-]*[a-z0-9]$/).and.have.length.at.most(57)
  })

  it('writes any Wi-Fi name and unit name the checks accept so that it reads back the same', function () {
    this.timeout(60_000)
    const ssid = fc.string({maxLength: 32, minLength: 1, unit: 'binary'}).filter((s) => !checkSsid(s))
    const name = fc.string({maxLength: 40, minLength: 1, unit: 'grapheme'}).filter((s) => s.trim() === s && !checkName(s))
    fc.assert(
      fc.property(fc.uniqueArray(ssid, {maxLength: 4}), name, (ssids, unit) => {
        // On a small stand-in for the default (YAML only; the schema's verdict is the first test's): 1,000 runs in seconds.
        const answers = {...ANSWERS, contactEn: unit, contactZh: unit, ssids, unitEn: unit, unitZh: unit}
        const policy = parse(buildDistrictPolicy({answers, base: 'x 1', date: '2026-12-01', defaultText: SMALL_DEFAULT})) as Policy
        expect(policy.variables?.approved_ssids).to.deep.equal(ssids)
        expect(policy.variables?.unit_name).to.equal(unit)
        expect(policy.policy.unit).to.deep.equal({en: unit, zh: unit})
      }),
      {numRuns: 1000},
    )
  })
})
