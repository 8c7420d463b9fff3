// macOS isolation through pf (plan in pf-rules.ts). The token `pfctl -E` returns is kept in a file
// beside the journal (and in saved.pf) so restore releases exactly our enable reference: pf stays
// enabled if it was before.
import {mkdir, readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {writeFileAtomic} from '../../os/atomic-write.js'
import {TOOLS} from '../../os/tools.darwin.js'
import {t} from '../../i18n/messages.js'
import type {Isolator, IsolatorOptions, Journal} from '../types.js'
import {IsolationFailed} from './isolator.linux.js'
import {darwinPlan, evaluatesAppleAnchors, PF_ANCHOR, parsePfInfo, parsePfToken, upBridges} from './pf-rules.js'
import {errorText, execOk} from './run-tool.js'

export const PF_TOKEN_FILE = 'pf-token'

export function darwinIsolator(options: IsolatorOptions): Isolator {
  const {exec, journalDir} = options
  const tokenFile = join(journalDir, PF_TOKEN_FILE)

  const readToken = async (): Promise<null | string> => {
    try {
      return (await readFile(tokenFile, 'utf8')).trim() || null
    } catch {
      return null
    }
  }

  /** The bridges that are up now; null when ifconfig could not say. */
  const bridgesUp = async (): Promise<null | string[]> => {
    try {
      return upBridges((await execOk(exec, TOOLS.ifconfig, ['-l', '-u'])).stdout)
    } catch {
      return null
    }
  }

  return {
    platform: 'darwin',
    plan: darwinPlan,

    async snapshot() {
      const info = parsePfInfo((await execOk(exec, TOOLS.pfctl, ['-s', 'info'])).stdout)
      const bridges = await bridgesUp()
      return {
        ip6tables_save: null,
        iptables_save: null,
        links: [],
        nft_ruleset: null,
        pf: {enabled: info.enabled, token: null},
        platform: 'darwin',
        routes: [],
        ...(bridges?.length ? {darwin_bridges: bridges} : {}),
      }
    },

    async isolate(saved, keep) {
      const warnings: string[] = []
      try {
        // Our anchor only counts if the main ruleset evaluates com.apple/*; the stock /etc/pf.conf
        // (loaded at boot) does. Without it, load that stock file first, and say so.
        if (!evaluatesAppleAnchors((await execOk(exec, TOOLS.pfctl, ['-s', 'rules'])).stdout)) {
          await execOk(exec, TOOLS.pfctl, ['-f', '/etc/pf.conf'])
          warnings.push(t(options.lang ?? 'en', 'incident.isolation.pfLoadedMain'))
        }
        for (const step of darwinPlan(saved, keep).commands) {
          // A second run (the keep-collector fallback) keeps the reference it already holds.
          if (step.args[0] === '-E' && (await readToken())) continue
          if (step.purpose === 'incident.step.bridgeDown') {
            // pf is in force by now: a bridge that stays up is said, and verification shows it.
            await execOk(exec, step.file, step.args).catch((error: unknown) => warnings.push(t(options.lang ?? 'en', 'incident.isolation.bridgeStaysUp', {bridge: step.args[0] ?? '', error: errorText(error)})))
            continue
          }
          const result = await execOk(exec, step.file, step.args, step.input === undefined ? undefined : {input: step.input})
          if (step.args[0] === '-E') {
            const token = parsePfToken(`${result.stdout}\n${result.stderr}`)
            if (!token) throw new Error('pfctl -E printed no token')
            await mkdir(journalDir, {mode: 0o700, recursive: true})
            await writeFileAtomic(tokenFile, `${token}\n`, 0o600)
            saved.pf = {enabled: saved.pf?.enabled ?? false, token}
          }
        }
      } catch (error) {
        throw new IsolationFailed([`pf: ${errorText(error)}`])
      }
      return {method: 'pf', warnings}
    },

    async restore(journal: Journal) {
      await execOk(exec, TOOLS.pfctl, ['-a', PF_ANCHOR, '-F', 'all'])
      for (const bridge of journal.saved.darwin_bridges ?? []) await execOk(exec, TOOLS.ifconfig, [bridge, 'up'])
      // The file, not the journal, says whether our reference is still held: it goes once released.
      const token = await readToken()
      if (token) {
        await execOk(exec, TOOLS.pfctl, ['-X', token])
        await rm(tokenFile, {force: true})
      }
    },

    async verifyBridges() {
      const up = await bridgesUp()
      if (up === null) return {bridges: [], state: 'unproven' as const}
      return up.length > 0 ? {bridges: up, state: 'reachable' as const} : null
    },

    async isIsolated() {
      const rules = await execOk(exec, TOOLS.pfctl, ['-a', PF_ANCHOR, '-s', 'rules'])
      return rules.stdout.trim() !== ''
    },

    async ruleset() {
      const main = await execOk(exec, TOOLS.pfctl, ['-s', 'rules'])
      const ours = await execOk(exec, TOOLS.pfctl, ['-a', PF_ANCHOR, '-s', 'rules'])
      return `${main.stdout}${ours.stdout}`
    },
  }
}
