// The boot unit that re-applies an open incident's cut (#11 2.5) and how the agent package ships
// it: the unit text, systemd's own verdict on it, the maintainer scripts' enable/disable, and how
// `systemctl is-enabled` is read. Pure: nothing is installed.
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {agentScripts} from '../../packaging/deb-scripts.js'
import {agentBootUnit} from '../../packaging/deb-units.js'
import {BOOT_UNIT, bootUnitText, parseIsEnabled} from '../../src/incident/boot-unit.js'
import {readBootUnit} from '../../src/incident/boot-unit.linux.js'
import {fakeExec, timeoutError} from '../helpers/fake-exec.js'
import {hasCommand, requirePart} from '../helpers/require-part.js'
import {DEV_BIN} from '../helpers/run-cli.js'

/** The unit's directives as [key, value] pairs, comments left out. */
const directives = (text: string): [string, string][] =>
  text
    .split('\n')
    .filter((line) => line.includes('=') && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])

describe('the boot unit that keeps an isolated PC cut off across restarts', () => {
  it('runs `incident reapply` from the package, early, before network-pre.target, only while a journal exists', () => {
    const unit = agentBootUnit()
    const pairs = directives(unit)
    const values = (key: string): string[] => pairs.filter(([k]) => k === key).map(([, v]) => v)
    expect(values('ExecStart')).to.deep.equal(['"/usr/lib/nm-guard/node" "/usr/lib/nm-guard/app/bin/run.js" "incident" "reapply"'])
    expect(values('Type')).to.deep.equal(['oneshot'])
    expect(values('DefaultDependencies')).to.deep.equal(['no'])
    expect(values('Before')).to.include('network-pre.target')
    expect(values('Wants')).to.include('network-pre.target')
    expect(values('WantedBy')).to.deep.equal(['sysinit.target'])
    expect(values('ConditionPathExists')).to.deep.equal(['/var/lib/nm-guard/incident/journal.json'])
    // After every loader that flushes rules when it starts, so nothing removes the cut it loads.
    expect(values('After').join(' ').split(' ')).to.include.members(['nftables.service', 'netfilter-persistent.service', 'firewalld.service', 'local-fs.target'])
    expect(values('TimeoutStartSec')).to.deep.equal(['90'])
    expect(unit.startsWith('# Installed by the nm-guard-agent package.')).to.equal(true)
  })

  it('passes systemd-analyze verify', function () {
    requirePart(this, hasCommand('systemd-analyze'), 'systemd-analyze (Debian package systemd)')
    const dir = mkdtempSync(join(tmpdir(), 'nmg-bootunit-'))
    // The real node and bin, so that verify's "is ExecStart executable" check means something.
    writeFileSync(join(dir, BOOT_UNIT), bootUnitText({command: [process.execPath, DEV_BIN], header: '# test', stateDir: '/var/lib/nm-guard'}))
    const verified = spawnSync('systemd-analyze', ['verify', '--man=no', join(dir, BOOT_UNIT)], {encoding: 'utf8'})
    expect(verified.status).to.equal(0)
    // verify exits 0 on an unknown key or a value it cannot parse ("…, ignoring"): only silence passes.
    expect(verified.stderr).to.equal('')
  })

  it('is enabled (not started) by the postinst and disabled, then purged, by the postrm', () => {
    const scripts = agentScripts()
    expect(scripts.postinst).to.contain(`deb-systemd-helper enable '${BOOT_UNIT}'`)
    // Starting it at install would change rules during an upgrade; it runs at the next boot.
    expect(scripts.postinst).not.to.contain(`deb-systemd-invoke restart '${BOOT_UNIT}'`)
    expect(scripts.postrm).to.contain(`deb-systemd-helper disable '${BOOT_UNIT}'`)
    expect(scripts.postrm).to.contain(`deb-systemd-helper purge '${BOOT_UNIT}'`)
    // The timer's lines are still there beside it.
    expect(scripts.postinst).to.contain("deb-systemd-helper enable 'nm-guard-audit.timer'")
  })

  it('postinst and postrm are valid POSIX shell', function () {
    requirePart(this, hasCommand('dash'), 'dash (Debian package dash)')
    // dash -n exits non-zero (and execFileSync throws) on a syntax error.
    for (const text of Object.values(agentScripts())) execFileSync('dash', ['-n'], {input: text, stdio: ['pipe', 'pipe', 'pipe']})
  })

  it('reads `systemctl is-enabled` as systemd 252 and older versions print it', async () => {
    expect(parseIsEnabled(BOOT_UNIT, 0, 'enabled\n', '')).to.deep.equal({enabled: true, state: 'enabled', unit: BOOT_UNIT})
    expect(parseIsEnabled(BOOT_UNIT, 1, 'disabled\n', '')).to.deep.equal({enabled: false, state: 'disabled', unit: BOOT_UNIT})
    expect(parseIsEnabled(BOOT_UNIT, 1, 'masked\n', '')).to.deep.equal({enabled: false, state: 'masked', unit: BOOT_UNIT})
    expect(parseIsEnabled(BOOT_UNIT, 4, 'not-found\n', '')).to.deep.equal({enabled: false, state: 'not-found', unit: BOOT_UNIT})
    expect(parseIsEnabled(BOOT_UNIT, 1, '', `Failed to get unit file state for ${BOOT_UNIT}: No such file or directory\n`)).to.deep.equal({enabled: false, state: 'not-found', unit: BOOT_UNIT})
    // A systemctl that hangs or is missing: nobody can say, which status reports as such.
    const exec = fakeExec({[`systemctl is-enabled ${BOOT_UNIT}`]: {code: 0, stdout: 'enabled\n'}})
    expect(await readBootUnit(exec)).to.deep.equal({enabled: true, state: 'enabled', unit: BOOT_UNIT})
    expect(await readBootUnit(fakeExec({systemctl: timeoutError('systemctl')}))).to.deep.equal({enabled: false, state: null, unit: BOOT_UNIT})
    expect(await readBootUnit(fakeExec({}))).to.deep.equal({enabled: false, state: null, unit: BOOT_UNIT})
  })
})
