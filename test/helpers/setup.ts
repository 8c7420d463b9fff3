// Loaded by mocha before any test: every test, and every CLI the tests start, keeps its caches in
// a throwaway state dir instead of the machine's own.
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

process.env.NMG_STATE_DIR ??= mkdtempSync(join(tmpdir(), 'nmg-test-state-'))
