// Writes the incident report draft (HTML + Markdown) for the open incident, or the last archived
// one: unit from the policy, custodians and account names from the account store (never a secret,
// and the keychain is not even opened), evidence hashes from the signed manifest.
import {createHash} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {openAccountStore} from '../accounts/account-store.js'
import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import type {Lang} from '../i18n/lang.js'
import {loadPolicy} from '../policy/load-policy.js'
import {writeFileAtomic} from '../os/atomic-write.js'
import {ensureRootDir} from '../os/safe-dir.js'
import {renderIncidentDraft} from './draft/render-draft.js'
import {MANIFEST_FILE} from './evidence/manifest.js'
import {draftPaths} from './incident-paths.js'
import {lastArchived, readJournal} from './journal.js'
import type {EvidenceManifest, Journal} from './types.js'

/** The strictest limit of 国家网络安全事件报告管理办法 (1, 2 or 4 hours by operator and grade). */
export const DEFAULT_DEADLINE_HOURS = 1

export interface WriteDraftOptions {
  root: string
  lang: Lang
  now: Date
  policy?: string
  deadlineHours?: number
}

export async function currentOrLastJournal(root: string): Promise<Journal> {
  const open = await readJournal(root)
  if (open) return open
  const last = await lastArchived(root)
  if (!last) throw new UserError('incident.noIncident', {}, EXIT.error)
  return last.journal
}

export async function writeIncidentDraft(options: WriteDraftOptions): Promise<{html: string; markdown: string; journal: Journal}> {
  const journal = await currentOrLastJournal(options.root)
  const [{policy}, store, evidence] = await Promise.all([loadPolicy(options.policy, options.root), openAccountStore(), readManifest(journal.evidence_dir)])
  const accounts = store.read().accounts
  const unit = policy.policy.unit ? (options.lang === 'en' ? policy.policy.unit.en : policy.policy.unit.zh) : null
  const {html, markdown} = renderIncidentDraft(
    {
      accounts: accounts.map(({account, platform}) => ({account, platform})),
      custodians: [...new Set(accounts.map((a) => a.custodian))],
      deadlineHours: options.deadlineHours ?? DEFAULT_DEADLINE_HOURS,
      journal,
      manifest: evidence?.manifest ?? null,
      manifestSha256: evidence?.sha256 ?? null,
      now: options.now,
      unit,
    },
    options.lang,
  )
  const paths = draftPaths(options.root, journal)
  // Re-rendered drafts replace the old ones: a new file renamed over, never written through a link.
  ensureRootDir(dirname(paths.html))
  await writeFileAtomic(paths.html, html, 0o600)
  await writeFileAtomic(paths.markdown, markdown, 0o600)
  return {...paths, journal}
}

/** The signed manifest and the SHA-256 of its bytes on disk (what the signature covers). */
async function readManifest(dir: string): Promise<{manifest: EvidenceManifest; sha256: string} | null> {
  try {
    const bytes = await readFile(join(dir, MANIFEST_FILE))
    return {manifest: JSON.parse(bytes.toString('utf8')) as EvidenceManifest, sha256: createHash('sha256').update(bytes).digest('hex')}
  } catch {
    // No evidence (collection failed or was interrupted): the draft says so.
    return null
  }
}
