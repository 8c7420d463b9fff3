import {chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {UserError} from '../../src/cli/user-error.js'
import {activePolicyPath, defaultPolicyPath, districtPolicyPath, loadPolicy} from '../../src/policy/load-policy.js'

describe('loadPolicy and its parsed-policy cache', () => {
  it('keeps a policy that validated and serves it again, keyed on its exact text', async () => {
    const state = mkdtempSync(join(tmpdir(), 'nmg-policy-cache-'))
    const first = await loadPolicy(defaultPolicyPath(), state)
    const [entry] = readdirSync(join(state, 'cache'))
    expect(entry).to.match(/^policy-[0-9a-f]{32}\.json$/)
    // Prove the hit path: a doctored entry is what comes back for the same text.
    const file = join(state, 'cache', entry as string)
    const cached = JSON.parse(readFileSync(file, 'utf8'))
    cached.policy.policy.version = 'from-cache'
    writeFileSync(file, JSON.stringify(cached))
    const again = await loadPolicy(defaultPolicyPath(), state)
    expect(again.policy.policy.version).to.equal('from-cache')
    expect(again.sha256).to.equal(first.sha256)
    // Different text, different key: parsed afresh.
    const copy = join(state, 'copy.yaml')
    writeFileSync(copy, `${readFileSync(defaultPolicyPath(), 'utf8')}\n# district edit\n`)
    const edited = await loadPolicy(copy, state)
    expect(edited.policy.policy.version).to.equal('1.0.0')
    expect(edited.sha256).not.to.equal(first.sha256)
  })

  it('never caches an invalid policy, and says which line is wrong', async () => {
    const state = mkdtempSync(join(tmpdir(), 'nmg-policy-bad-'))
    const bad = join(state, 'bad.yaml')
    writeFileSync(bad, 'policy:\n  id: x\n  version: "1"\n  title: {zh: a, en: a}\nchecks: []\n')
    const error = await loadPolicy(bad, state).catch((e: UserError) => e)
    expect(error).to.be.instanceOf(UserError).with.property('key', 'policy.invalid')
    expect((error as UserError).params).to.include({file: bad, line: 5})
    expect(() => readdirSync(join(state, 'cache'))).to.throw()
  })

  it('refuses a missing file with a UserError naming it', async () => {
    const error = await loadPolicy('/nonexistent/policy.yaml').catch((e: UserError) => e)
    expect(error).to.be.instanceOf(UserError).with.property('key', 'file.unreadable')
  })

  it('without a file loads the district policy from the state dir when there is one, else the default', async () => {
    const state = mkdtempSync(join(tmpdir(), 'nmg-policy-active-'))
    expect(activePolicyPath(state)).to.equal(defaultPolicyPath())
    expect((await loadPolicy(undefined, state)).file).to.equal(defaultPolicyPath())
    const district = districtPolicyPath(state)
    writeFileSync(district, readFileSync(defaultPolicyPath(), 'utf8').replace(/^ {2}id: gaocheng-2023$/m, '  id: district-test'))
    expect(activePolicyPath(state)).to.equal(district)
    const loaded = await loadPolicy(undefined, state)
    expect(loaded).to.include({file: district})
    expect(loaded.policy.policy.id).to.equal('district-test')
    // A district policy that cannot be read is an error, never a silent fall back to the default.
    writeFileSync(district, 'policy: [')
    expect(await loadPolicy(undefined, state).catch((e: UserError) => e)).to.be.instanceOf(UserError).with.property('key', 'policy.invalid')
  })

  it('falls back to the machine\'s district policy, root\'s alone, before the default', async function () {
    if (process.platform === 'win32' || process.getuid?.() !== 0) this.skip()
    const own = mkdtempSync(join(tmpdir(), 'nmg-policy-own-'))
    const machineDir = mkdtempSync(join(tmpdir(), 'nmg-policy-machine-'))
    chmodSync(machineDir, 0o755)
    const machine = join(machineDir, 'policy.yaml')
    const env = {NMG_MACHINE_POLICY: machine}
    expect(activePolicyPath(own, env)).to.equal(defaultPolicyPath())
    writeFileSync(machine, readFileSync(defaultPolicyPath(), 'utf8'), {mode: 0o644})
    chmodSync(machine, 0o644)
    expect(activePolicyPath(own, env)).to.equal(machine)
    // The account's own district policy comes first.
    writeFileSync(districtPolicyPath(own), readFileSync(defaultPolicyPath(), 'utf8'))
    expect(activePolicyPath(own, env)).to.equal(districtPolicyPath(own))
    // One another account could change is refused, not obeyed: the file, or its folder.
    const other = mkdtempSync(join(tmpdir(), 'nmg-policy-other-'))
    chmodSync(machine, 0o664)
    expect(() => activePolicyPath(other, env)).to.throw(UserError).with.property('key', 'policy.machineUntrusted')
    chmodSync(machine, 0o644)
    chmodSync(machineDir, 0o777)
    expect(() => activePolicyPath(other, env)).to.throw(UserError).with.property('key', 'policy.machineUntrusted')
    chmodSync(machineDir, 0o755)
    expect(activePolicyPath(other, env)).to.equal(machine)
  })
})
