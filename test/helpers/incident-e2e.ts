// What the real-binary incident tests (disconnect, reconnect, reapply in namespaces) share: the
// PC's own firewall before the incident, and reading a `--json` envelope.
import type {CliResult} from './run-cli.js'

/** The PC's own firewall before the incident: what reconnect must put back, counters and all. */
export const USER_FIREWALL = `table inet desktop_fw {
  chain input {
    type filter hook input priority filter; policy accept;
    ct state established,related counter accept
    iifname "lo" accept
  }
}
`

export interface Envelope<T> {
  status: number
  result: T
  warnings: string[]
  error?: {key?: string; message: string}
}

export const parseEnvelope = <T>(r: CliResult): Envelope<T> => JSON.parse(r.stdout) as Envelope<T>

/** A ruleset without its packet/byte counts, which move as the test's own traffic flows. */
export const normalisedRuleset = (ruleset: string): string => ruleset.replaceAll(/counter packets \d+ bytes \d+/g, 'counter')
