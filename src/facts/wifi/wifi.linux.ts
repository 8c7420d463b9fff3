// Wi-Fi on Linux: NetworkManager's cached scan (`nmcli dev wifi list --rescan no`: the connected
// network and those in range, with security), else `iw dev <if> link` for the connected network
// only. No wireless interface at all means no Wi-Fi: an empty table, not an error.
import {decodeText} from '../../os/decode-text.js'
import {FactError} from '../../os/fact-error.js'
import {readSysNet} from '../linux/ip-links.js'
import {parseTerse, runNmcli} from '../linux/nmcli.js'
import type {CollectContext, Row} from '../types.js'

export const NMCLI_WIFI_ARGS = ['-f', 'ACTIVE,SSID,BSSID,SECURITY,DEVICE', 'dev', 'wifi', 'list', '--rescan', 'no']

/**
 * nmcli's SECURITY ("WPA1 WPA2", "WPA2 802.1X", "WPA3", "WEP", "OWE", "" for open) in this table's
 * words. Mixed modes take the weakest one a client may use (WPA2/WPA3 transition → wpa2).
 */
export function normaliseSecurity(security: string): string {
  const s = security.trim().toUpperCase()
  if (!s || s === '--' || s === 'NONE') return 'open'
  if (s.includes('WEP')) return 'wep'
  if (s.includes('802.1X')) return s.includes('WPA2') ? 'wpa2-enterprise' : s.includes('WPA3') ? 'wpa3-enterprise' : 'wpa-enterprise'
  if (s.includes('WPA1') && !s.includes('WPA2') && !s.includes('WPA3')) return 'wpa'
  if (s.includes('WPA2')) return 'wpa2'
  if (s.includes('WPA3')) return 'wpa3'
  if (s.includes('OWE')) return 'owe'
  return s.toLowerCase()
}

/** Parses NMCLI_WIFI_ARGS output: one row per access point NetworkManager has seen. */
export function parseNmcliWifi(text: string): Row[] {
  return parseTerse(text)
    .filter((f) => f.length >= 5)
    .map(([active, ssid, bssid, security, device]) => ({
      bssid: bssid ? bssid.toLowerCase() : null,
      connected: active === 'yes' || active === '是',
      interface: device || null,
      security: normaliseSecurity(security ?? ''),
      ssid: ssid && ssid !== '--' ? ssid : null,
    }))
}

/** iw prints SSID bytes outside printable ASCII as \xNN; Chinese SSIDs may be UTF-8 or GBK. */
export function unescapeIwSsid(escaped: string): string {
  const bytes: number[] = []
  for (let i = 0; i < escaped.length; i++) {
    const hex = /^\\x([0-9a-fA-F]{2})/.exec(escaped.slice(i, i + 4))
    if (hex) {
      bytes.push(Number.parseInt(hex[1] as string, 16))
      i += 3
    } else {
      bytes.push(...Buffer.from(escaped[i] as string, 'utf8'))
    }
  }
  return decodeText(Buffer.from(bytes))
}

/** Parses `iw dev <if> link`: "Connected to <bssid> (on <if>)" + "SSID: …", or "Not connected." */
export function parseIwLink(text: string, iface: string): Row[] {
  const connected = /^Connected to ([0-9a-fA-F:]{17})/m.exec(text)
  if (!connected) return []
  const ssid = /^\s*SSID: (.*)$/m.exec(text)?.[1]
  return [
    {
      bssid: (connected[1] as string).toLowerCase(),
      connected: true,
      interface: iface,
      // iw's link view does not say how the network is secured.
      security: null,
      ssid: ssid ? unescapeIwSsid(ssid) : null,
    },
  ]
}

async function viaIw(ctx: CollectContext, interfaces: string[]): Promise<null | Row[]> {
  const rows: Row[] = []
  for (const iface of interfaces) {
    let out
    try {
      out = await ctx.exec('iw', ['dev', iface, 'link'], {env: {LC_ALL: 'C'}, timeoutMs: 5000})
    } catch (error) {
      if (error instanceof FactError && error.kind === 'missing_tool') return null
      throw error
    }
    if (out.code !== 0) throw new FactError('failed', `iw dev ${iface} link exited ${out.code}: ${(out.stderr || out.stdout).trim().split('\n')[0] ?? ''}`)
    rows.push(...parseIwLink(out.stdout, iface))
  }
  return rows
}

export async function collect(ctx: CollectContext, root = '/'): Promise<Row[]> {
  const sys = readSysNet(root)
  const wireless = Object.keys(sys)
    .filter((name) => sys[name]?.wireless || sys[name]?.devtype === 'wlan')
    .sort()
  if (wireless.length === 0) return []
  const nm = await runNmcli(ctx, NMCLI_WIFI_ARGS, root)
  // Without NetworkManager (or with one too old for --rescan) ask the kernel via iw.
  if (nm?.code === 0) return parseNmcliWifi(nm.stdout)
  const iw = await viaIw(ctx, wireless)
  if (iw) return iw
  if (nm) throw new FactError('failed', `nmcli dev wifi list exited ${nm.code}: ${(nm.stderr || nm.stdout).trim().split('\n')[0] ?? ''} (and iw is not installed)`)
  throw new FactError('missing_tool', `nmcli and iw not found (install network-manager or iw) to read Wi-Fi on ${wireless.join(', ')}`)
}
