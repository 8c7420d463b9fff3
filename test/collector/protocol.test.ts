import {expect} from 'chai'

import {createCa} from '../../src/collector/pki.js'
import {caFingerprint, isAgentId, normaliseFingerprint} from '../../src/collector/protocol.js'

describe('collector wire contract helpers', () => {
  it('fingerprints a certificate as 64 lowercase hex digits, and reads it back typed with colons', () => {
    const fingerprint = caFingerprint(createCa().certPem)
    expect(fingerprint).to.match(/^[0-9a-f]{64}$/)
    const typed = (fingerprint.toUpperCase().match(/../g) ?? []).join(':')
    expect(normaliseFingerprint(typed)).to.equal(fingerprint)
    expect(normaliseFingerprint('abc')).to.equal(null)
  })

  it('accepts only UUID v4 agent ids', () => {
    expect(isAgentId('0b6c3f0e-2a53-4c56-9d43-0d4b3c8f1a27')).to.equal(true)
    expect(isAgentId('0b6c3f0e-2a53-1c56-9d43-0d4b3c8f1a27')).to.equal(false)
    expect(isAgentId(42)).to.equal(false)
  })
})
