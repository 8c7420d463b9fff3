// Message keys are typed (src/i18n/message-keys.ts, generated from the catalogue), so tsc rejects
// a key no catalogue holds. Keys built from data at run time are checked here, part by part.
import {readFileSync} from 'node:fs'

import {expect} from 'chai'

import {TABLES} from '../../src/facts/registry.js'
import {currentSource, KEYS_FILE} from '../../src/i18n/build-message-keys.js'
import {catalogue} from '../../src/i18n/messages.js'
import {loadPolicy} from '../../src/policy/load-policy.js'
import {SEVERITIES} from '../../src/policy/types.js'
import {FACT_ERROR_KINDS} from '../../src/os/fact-error.js'
import {PLATFORMS} from '../../src/os/types.js'
import {REASON_CODES} from '../../src/password/reasons.js'

const missing = (keys: string[]): string[] => keys.filter((key) => !(key in catalogue('en')) || !(key in catalogue('zh-CN')))

describe('message keys', () => {
  it('are typed from the current catalogue (npm run build:message-keys)', () => {
    expect(readFileSync(KEYS_FILE, 'utf8')).to.equal(currentSource())
  })

  it('have a label for every facts table and column, so evidence never shows a raw column name', () => {
    const keys = TABLES.flatMap((t) => [`fact.${t.spec.name}`, ...t.spec.columns.map((c) => `column.${t.spec.name}.${c.name}`)])
    expect(keys.length).to.be.greaterThan(100)
    expect(missing(keys)).to.deep.equal([])
  })

  it('have a wording for every part that builds a key: statuses, severities, platforms, fact errors, empty tables, password reasons', () => {
    const keys = [
      ...['pass', 'fail', 'error', 'not_applicable'].map((s) => `status.${s}`),
      ...SEVERITIES.map((s) => `severity.${s}`),
      ...PLATFORMS.map((p) => `platform.${p}`),
      ...FACT_ERROR_KINDS.map((k) => `reason.unavailable.${k}`),
      ...['not_applicable', 'fail'].map((w) => `reason.empty.${w}`),
      ...REASON_CODES.map((c) => `password.reason.${c}`),
      ...['compliant', 'non_compliant', 'undetermined'].map((c) => `conclusion.${c}`),
    ]
    expect(missing(keys)).to.deep.equal([])
  })

  it('name every variable the default policy leaves for the district to configure', async () => {
    const {policy} = await loadPolicy()
    const unset = Object.entries(policy.variables ?? {}).filter(([, value]) => value === null).map(([name]) => `variable.${name}`)
    expect(unset.length).to.be.greaterThan(0)
    expect(missing(unset)).to.deep.equal([])
  })
})
