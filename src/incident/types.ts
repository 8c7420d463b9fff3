// The incident-response contracts (issue 5): the crash-safe journal, the isolation seam each
// platform implements, evidence and its signed manifest, and the report draft's input. The
// disconnect/reconnect flows (src/incident/disconnect.ts, reconnect.ts) only speak these types.
import type {Exec, Platform} from '../facts/types.js'
import type {Lang} from '../i18n/lang.js'
import type {MessageKey} from '../i18n/messages.js'

export type IsolationMethod = 'adapters-disabled' | 'iptables' | 'link-down' | 'nftables' | 'pf' | 'windows-firewall'

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
  purpose: MessageKey
}

/** The exact steps a platform would take; --dry-run prints them, Windows/macOS tests compare them as text. */
export interface IsolationPlan {
  platform: Platform
  method: IsolationMethod
  commands: PlannedCommand[]
  /** Why this method was chosen, when that is worth saying (message keys): --dry-run prints them. */
  notes?: PlanNote[]
}

export interface PlanNote {
  key: MessageKey
  params?: Record<string, number | string>
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
  /**
   * Linux: the ports of every bridge and whether each was up, so the iptables fallback (which cannot
   * see bridged frames) can take them down and reconnect can raise them. Absent in older journals.
   */
  bridge_ports?: BridgePort[]
  /** Windows: where the previous firewall policy was exported (`netsh advfirewall export`). */
  windows_policy_file?: string
  /** macOS: whether pf was enabled before, and the token `pfctl -E` returned. */
  pf?: {enabled: boolean; token: null | string}
  /** Windows: each profile's state and policy before the cut (`netsh advfirewall show allprofiles`). */
  windows_profiles?: WindowsFirewallProfile[]
  /** Windows: adapters that were enabled and connected, bounced after the block so open flows end. */
  windows_adapters?: string[]
  /**
   * Windows: the adapters the adapters-disabled method switches off (and reconnect switches back
   * on): every enabled physical adapter, chosen before the cut so a crash mid-way loses nothing.
   */
  windows_disable?: string[]
  /** Windows: how the firewall state was read, and whether Group Policy overrides the local store. */
  windows_firewall?: WindowsFirewallState
  /** Windows: whether an IPv4 default route through a gateway existed before the cut (null: not read). */
  windows_default_route?: boolean | null
  /**
   * Windows: adapters bridging or sharing the network for VMs or other devices (Network Bridge,
   * Hyper-V external switch, VMware/VirtualBox bridging, Internet Connection Sharing), whose
   * traffic Windows Firewall never sees. Absent: none, or not read.
   */
  windows_bridged?: string[]
  /** macOS: the bridges that were up (Internet Sharing, VMs' bridged networks), taken down by the cut. */
  darwin_bridges?: string[]
}

export interface BridgePort {
  name: string
  bridge: string
  up: boolean
}

/**
 * Bridges after the cut (Linux; macOS names the bridges still up as reachable). blocked: no bridge can forward past it (our bridge table drops its
 * frames, or fewer than two of its ports forward); reachable: `bridges` still forward between ports;
 * unproven: the bridge ports could not be read, so nothing is claimed.
 */
export interface BridgeCheck {
  state: 'blocked' | 'reachable' | 'unproven'
  bridges: string[]
}

export interface WindowsFirewallState {
  /** Where the state came from; null when it could not be read (`error` says why). */
  source: 'powershell' | null
  error: null | string
  /** Group Policy configures the firewall (RSOP store), so `netsh advfirewall set` may change nothing; null: unknown. */
  gpo_managed: boolean | null
  /** What showed it, e.g. `Domain: Enabled`, `Public: AllowLocalFirewallRules=False`. */
  gpo_reasons: string[]
  part_of_domain: boolean | null
  /** Where the adapter list came from (netsh only when PowerShell failed). */
  adapters_source: 'netsh' | 'powershell' | null
}

export interface WindowsFirewallProfile {
  profile: 'domain' | 'private' | 'public'
  /** null: netsh printed a state word we do not know (another version or language): not known. */
  enabled: boolean | null
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
  isolate(saved: SavedNetworkState, keep: CollectorEndpoint | null): Promise<IsolationOutcome>
  /** Puts back exactly `journal.saved`; safe to run again, and after a crash at any phase. */
  restore(journal: Journal): Promise<void>
  /** Whether nm-guard's isolation is in effect now (our table/chain/anchor present, or links down). */
  isIsolated(): Promise<boolean>
  /** The firewall ruleset as text, to compare before and after (Linux: `nft list ruleset`). */
  ruleset(): Promise<string>
  /**
   * Windows: what the PC itself shows after the cut, before anything is probed. The firewall method
   * restarts adapters, and a probe through a link that is not up yet fails as if blocked; the
   * adapters-disabled method is verified by its adapters staying off. Absent: probe at once.
   */
  verifyLocal?(saved: SavedNetworkState, method: IsolationMethod): Promise<LocalCheck>
  /**
   * Linux and macOS: whether a VM or container bridged through the PC is cut too. Its frames never
   * meet the IP hooks the cut lives in (unless br_netfilter or the bridge's filter flags pass them
   * there), so probes cannot show it. null: no bridge (Linux: none with ports; macOS: none up).
   */
  verifyBridges?(): Promise<BridgeCheck | null>
}

/**
 * ready: the links are up, probes decide. not-ready: restarted adapters did not come back in time,
 * so probes would prove nothing. held: the adapters the cut disabled are still off (that is the
 * verification). reopened: some of them carry traffic again.
 */
export interface LocalCheck {
  state: 'held' | 'not-ready' | 'ready' | 'reopened'
  adapters: string[]
}

export interface IsolationOutcome {
  method: IsolationMethod
  warnings: string[]
  /** The method in effect cannot keep the collector reachable: isolation is full whatever was asked. */
  full?: boolean
}

export interface IsolatorOptions {
  exec: Exec
  /** Where platform files may be written (Windows policy export, pf anchor file). */
  journalDir: string
  /** Language of the warnings isolate() returns (default English). */
  lang?: Lang
  /** Clock for file names (Windows policy export); defaults to the real one. */
  now?: () => Date
  /** Windows: how long to wait for restarted adapters before probing, and how often to look. */
  settle?: {timeoutMs: number; intervalMs: number}
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
  /** Entries that are not regular files or folders (a planted link): never followed; any fails the check. */
  not_regular: string[]
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
