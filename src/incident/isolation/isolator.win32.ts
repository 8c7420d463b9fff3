// Windows isolation through netsh (plan in windows-firewall.ts). netsh speaks the console code page
// (GBK on Chinese Windows), so its output is decoded before it is read or quoted.
import {existsSync} from 'node:fs'
import {mkdir} from 'node:fs/promises'

import {decodeText} from '../../os/decode-text.js'
import {FactError} from '../../os/fact-error.js'
import type {Exec} from '../../facts/types.js'
import type {Isolator, IsolatorOptions, Journal} from '../types.js'
import {IsolationFailed} from './isolator.linux.js'
import {t} from '../../i18n/messages.js'
import {allBlocked, parseAllProfiles, parseConnectedAdapters, policyFile, RULE_BLOCK_OUT, windowsPlan, windowsRestoreCommands} from './windows-firewall.js'

const BOUNCE = new Set(['incident.step.adapterDown', 'incident.step.adapterUp'])

async function netsh(exec: Exec, args: string[]): Promise<{code: null | number; text: string}> {
  const result = await exec('netsh', args, {timeoutMs: 30_000})
  return {code: result.code, text: decodeText(result.raw)}
}

async function netshOk(exec: Exec, args: string[]): Promise<string> {
  const {code, text} = await netsh(exec, args)
  if (code !== 0) throw new FactError('failed', `netsh ${args.join(' ')} exited ${code}: ${text.trim().split(/\r?\n/)[0]?.slice(0, 200) ?? ''}`)
  return text
}

export function win32Isolator(options: IsolatorOptions): Isolator {
  const {exec, journalDir} = options
  const now = options.now ?? (() => new Date())
  return {
    platform: 'win32',
    plan: windowsPlan,

    async snapshot() {
      // Both reads at once: the snapshot sits on the path to the cut, and netsh is slow to start.
      const [profilesText, adapters] = await Promise.all([
        netshOk(exec, ['advfirewall', 'show', 'allprofiles']),
        // Without the adapter list the cut still holds for new connections; only the bounce is lost.
        netsh(exec, ['interface', 'show', 'interface']).then(
          (r) => (r.code === 0 ? parseConnectedAdapters(r.text) : []),
          () => [],
        ),
      ])
      const profiles = parseAllProfiles(profilesText)
      return {
        ip6tables_save: null,
        iptables_save: null,
        links: [],
        nft_ruleset: null,
        platform: 'win32',
        routes: [],
        windows_policy_file: policyFile(journalDir, now()),
        windows_adapters: adapters,
        windows_profiles: profiles,
      }
    },

    async isolate(saved, keep) {
      // netsh refuses to export into a folder that does not exist.
      await mkdir(journalDir, {recursive: true})
      // A second run (the keep-collector fallback) must not export the already-isolated policy
      // over the real one, nor stack a second copy of our rules.
      const rerun = saved.windows_policy_file !== undefined && existsSync(saved.windows_policy_file)
      if (rerun) for (const args of windowsRestoreCommands(null)) await netsh(exec, args)
      const warnings: string[] = []
      for (const step of windowsPlan(saved, keep).commands) {
        if (rerun && step.purpose === 'incident.step.exportPolicy') continue
        if (BOUNCE.has(step.purpose)) {
          // The block is already in force: a failed bounce leaves open flows, which is worth a warning, not a failed cut.
          const bounced = await netsh(exec, step.args)
          if (bounced.code !== 0) warnings.push(t(options.lang ?? 'en', 'incident.isolation.bounceFailed', {adapter: step.args[3]?.replace(/^name=/, '') ?? '', error: bounced.text.trim().split(/\r?\n/)[0] ?? ''}))
          continue
        }
        try {
          await netshOk(exec, step.args)
        } catch (error) {
          throw new IsolationFailed([`windows-firewall: ${(error as Error).message}`])
        }
      }
      return {method: 'windows-firewall', warnings}
    },

    async restore(journal: Journal) {
      // No export file means the crash came before step 1: nothing of the policy was changed.
      const file = journal.saved.windows_policy_file
      const exported = file !== undefined && existsSync(file)
      const [importArgs, ...deletes] = windowsRestoreCommands(exported ? (file as string) : null)
      if (exported && importArgs) await netshOk(exec, importArgs)
      // "No rules match" is the normal answer once the import has removed them.
      for (const args of exported ? deletes : [importArgs as string[], ...deletes]) await netsh(exec, args)
      // A crash between an adapter's disable and enable must not leave it off; enabling twice is harmless.
      for (const name of journal.saved.windows_adapters ?? []) await netsh(exec, ['interface', 'set', 'interface', `name=${name}`, 'admin=enabled'])
    },

    async isIsolated() {
      const rule = await netsh(exec, ['advfirewall', 'firewall', 'show', 'rule', `name=${RULE_BLOCK_OUT}`])
      if (rule.code === 0) return true
      return allBlocked(parseAllProfiles(await netshOk(exec, ['advfirewall', 'show', 'allprofiles'])))
    },

    async ruleset() {
      return netshOk(exec, ['advfirewall', 'show', 'allprofiles'])
    },
  }
}
