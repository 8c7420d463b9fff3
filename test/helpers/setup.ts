// Loaded by mocha before any test: every test, and every CLI the tests start, keeps its caches and
// its account metadata in throwaway folders instead of the machine's own.
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

process.env.NMG_STATE_DIR ??= mkdtempSync(join(tmpdir(), 'nmg-test-state-'))
process.env.NMG_CONFIG_DIR ??= mkdtempSync(join(tmpdir(), 'nmg-test-config-'))
// Root's `policy init` writes the machine's policy (/etc/nm-guard): never the test machine's.
process.env.NMG_MACHINE_POLICY ??= join(mkdtempSync(join(tmpdir(), 'nmg-test-machine-')), 'policy.yaml')
