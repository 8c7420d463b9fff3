// The incident-response contracts (issue 5): the crash-safe journal, the isolation seam each
// platform implements, evidence and its signed manifest, and the report draft's input. The
// disconnect/reconnect flows (src/incident/disconnect.ts, reconnect.ts) only speak these types.
import type {Exec, Platform} from '../facts/types.js'
import type {Lang} from '../i18n/lang.js'

export type IsolationMethod = 'iptables' | 'link-down' | 'nftables' | 'pf' | 'windows-firewall'

/** The collector kept reachable with --keep-collector, resolved before the cut. */
export interface CollectorEndpoint {
  url: string
  host: string
  port: number
  /** IPv4/IPv6 literals the host resolved to before the cut. */
  addresses: string[]
}

/** One step of an isolation plan: an argument array (no shell), optional stdin. */
export interface PlannedCommand {
  file: string
  args: string[]
  input?: string
  /** Message key (messages/*.json, `incident.step.*`) saying why, for --dry-run and the report. */
  purpose: string
}

/** The exact steps a platform would take; --dry-run prints them, Windows/macOS tests compare them as text. */
export interface IsolationPlan {
  platform: Platform
  method: IsolationMethod
  commands: PlannedCommand[]
}

/** What was there before the cut: everything reconnect needs to put back exactly. */
export interface SavedNetworkState {
  platform: Platform
  /** `nft list ruleset` before the cut; null when nft is missing or unusable. */
  nft_ruleset: null | string
  /** `iptables-save` / `ip6tables-save` before the cut; null when missing. */
  iptables_save: null | string
  ip6tables_save: null | string
  /** Non-loopback links and whether they were up (for the link-down fallback). */
  links: {name: string; up: boolean}[]
  /** `ip -j route show table all` rows, so link-down's lost routes can be re-added. */
  routes: Record<string, unknown>[]
  /** Windows: where the previous firewall policy was exported (`netsh advfirewall export`). */
  windows_policy_file?: string
  /** macOS: whether pf was enabled before, and the token `pfctl -E` returned. */
  pf?: {enabled: boolean; token: null | string}
  /** Windows: each profile's state and policy before the cut (`netsh advfirewall show allprofiles`). */
  windows_profiles?: WindowsFirewallProfile[]
  /** Windows: adapters that were enabled and connected, bounced after the block so open flows end. */
  windows_adapters?: string[]
}

export interface WindowsFirewallProfile {
  profile: 'domain' | 'private' | 'public'
  enabled: boolean
  /** As netsh prints it, e.g. `BlockInbound,AllowOutbound`. */
  policy: string
}

export type JournalPhase = 'done' | 'drafted' | 'evidence' | 'isolated' | 'journalled' | 'verified'

export interface TimelineEntry {
  at: string
  /** Message key, `incident.timeline.*`. */
  event: string
  params?: Record<string, number | string>
}

/** state/incident/journal.json: written (fsync) before anything is cut, updated after each phase. */
export interface Journal {
  schema: 'nm-guard/incident-journal@1'
  incident_id: string
  hostname: string
  platform: Platform
  started_at: string
  reason: null | string
  keep_collector: CollectorEndpoint | null
  saved: SavedNetworkState
  phase: JournalPhase
  method: IsolationMethod | null
  isolated_at: null | string
  /** Milliseconds from process start to isolation in effect. */
  isolation_ms: null | number
  evidence_dir: string
  report_path: null | string
  timeline: TimelineEntry[]
}

/** One platform's isolation: snapshot first (journalled), then isolate with fallbacks, restore exactly. */
export interface Isolator {
  readonly platform: Platform
  snapshot(): Promise<SavedNetworkState>
  /** The plan for the first method that applies (what --dry-run prints). */
  plan(saved: SavedNetworkState, keep: CollectorEndpoint | null): IsolationPlan
  /** Tries each method in order (Linux: nftables, iptables, link-down); returns the one in effect. */
  isolate(saved: SavedNetworkState, keep: CollectorEndpoint | null): Promise<{method: IsolationMethod; warnings: string[]}>
  /** Puts back exactly `journal.saved`; safe to run again, and after a crash at any phase. */
  restore(journal: Journal): Promise<void>
  /** Whether nm-guard's isolation is in effect now (our table/chain/anchor present, or links down). */
  isIsolated(): Promise<boolean>
  /** The firewall ruleset as text, to compare before and after (Linux: `nft list ruleset`). */
  ruleset(): Promise<string>
}

export interface IsolatorOptions {
  exec: Exec
  /** Where platform files may be written (Windows policy export, pf anchor file). */
  journalDir: string
  /** Language of the warnings isolate() returns (default English). */
  lang?: Lang
  /** Clock for file names (Windows policy export); defaults to the real one. */
  now?: () => Date
}

export interface EvidenceFile {
  /** Relative to the evidence folder, forward slashes. */
  path: string
  sha256: string
  bytes: number
}

export interface EvidenceItemResult {
  name: string
  status: 'failed' | 'ok'
  error?: string
  ms: number
  files: string[]
}

/** manifest.json (signed: manifest.sig holds the base64 RSA-SHA256 signature of manifest.json's bytes). */
export interface EvidenceManifest {
  schema: 'nm-guard/evidence@1'
  incident_id: string
  hostname: string
  created_at: string
  files: EvidenceFile[]
  items: EvidenceItemResult[]
  signer: {kind: 'agent' | 'local'; public_key_pem: string; fingerprint: string; certificate_pem?: string}
}

export interface EvidenceVerification {
  ok: boolean
  signature: 'invalid' | 'missing' | 'valid'
  changed: string[]
  added: string[]
  removed: string[]
  signer: EvidenceManifest['signer'] | null
  /** Present when a trusted fingerprint was given: whether the valid signature is by that key. */
  trusted?: boolean
}

/** Everything the Chinese report draft shows. */
export interface DraftInput {
  journal: Journal
  unit: null | string
  custodians: string[]
  accounts: {platform: string; account: string}[]
  manifest: EvidenceManifest | null
  /** SHA-256 of manifest.json's bytes as on disk; when absent the draft hashes the manifest's canonical form. */
  manifestSha256?: null | string
  /** Reporting deadline in hours after isolation (the strictest, 1 h, by default). */
  deadlineHours: number
  now: Date
}
