// The Wi-Fi network this PC is connected to, from `netsh wlan show interfaces` (English or
// Chinese-locale output). netsh prints in the console code page, which may be UTF-8 or GBK
// depending on how it was started, so the fragment returns its raw bytes (base64) and
// decodeText sniffs the encoding here.
import {decodeText} from '../../os/decode-text.js'
import {FactError} from '../../os/fact-error.js'
import type {CollectContext, Row} from '../types.js'
import {int, single, str} from '../win32/ps-json.js'
import {runFragment} from '../win32/run-fragment.js'

export const SCRIPT = `$p = New-Object System.Diagnostics.Process
$p.StartInfo.FileName = Join-Path $env:SystemRoot 'System32\\netsh.exe'
$p.StartInfo.Arguments = 'wlan show interfaces'
$p.StartInfo.UseShellExecute = $false
$p.StartInfo.RedirectStandardOutput = $true
$p.StartInfo.CreateNoWindow = $true
[void]$p.Start()
$buffer = New-Object System.IO.MemoryStream
$p.StandardOutput.BaseStream.CopyTo($buffer)
$p.WaitForExit()
[pscustomobject]@{ base64 = [Convert]::ToBase64String($buffer.ToArray()); exitCode = $p.ExitCode }`

/** Field labels in the English and zh-CN builds of netsh (Windows 10 and 11 layouts). */
const LABELS: Record<string, string> = {
  'ap bssid': 'bssid',
  authentication: 'auth',
  bssid: 'bssid',
  cipher: 'cipher',
  description: 'description',
  name: 'name',
  ssid: 'ssid',
  state: 'state',
  名称: 'name',
  加密: 'cipher',
  密码: 'cipher',
  描述: 'description',
  状态: 'state',
  说明: 'description',
  身份验证: 'auth',
}

const NO_SERVICE = /wlansvc\)?\s*(is not running|没有运行|未运行)/i
const NO_INTERFACE = /There is no wireless interface on the system|系统上没有无线接口/i
const LOCATION = /need location permission|位置权限|ms-settings:privacy-location/i

/** Authentication (+ cipher, for WEP) → open, wep, wpa, wpa2, wpa3, owe, or "-enterprise" variants. */
export function normaliseSecurity(auth: null | string, cipher: null | string): null | string {
  if (!auth) return null
  const enterprise = /Enterprise|企业/i.test(auth) ? '-enterprise' : ''
  if (/WPA3/i.test(auth)) return `wpa3${enterprise}`
  if (/WPA2/i.test(auth)) return `wpa2${enterprise}`
  if (/WPA/i.test(auth)) return `wpa${enterprise}`
  // OWE is sold as "Enhanced Open": not the unencrypted open network the words suggest.
  if (/OWE|Enhanced Open|增强型开放/i.test(auth)) return 'owe'
  if (/Shared|共享/i.test(auth)) return 'wep'
  if (/Open|开放/i.test(auth)) return /WEP/i.test(cipher ?? '') ? 'wep' : 'open'
  return auth.toLowerCase()
}

const mac = (value: null | string): null | string => {
  const m = value?.trim().toLowerCase().replaceAll('-', ':') ?? ''
  return /^([\da-f]{2}:){5}[\da-f]{2}$/.test(m) ? m : null
}

export function parseNetshInterfaces(text: string): Row[] {
  if (LOCATION.test(text)) {
    // netsh's own sentence too: it names what Windows refused, in the PC's language.
    const said = text.split(/\r?\n/).find((line) => LOCATION.test(line) && !/^\s*(start\s+)?ms-settings:/i.test(line))?.trim()
    throw new FactError(
      'permission',
      `netsh wlan show interfaces needs Location services on (Settings → Privacy & security → Location, "Let desktop apps access your location")${said ? `; netsh said: ${said}` : ''}`,
    )
  }
  if (NO_SERVICE.test(text) || NO_INTERFACE.test(text)) return []

  const blocks: Array<Record<string, string>> = []
  let current: Record<string, string> | undefined
  for (const line of text.split(/\r?\n/)) {
    // "    Name                   : WLAN"; sub-lines like "BSSID: 72:13:…, Band: 5 GHz" have no
    // space before their colon and are not fields. The indent is optional: copies may lose it.
    const m = /^\s*(\S.*?)\s+:\s?(.*)$/.exec(line)
    if (!m) continue
    const field = LABELS[(m[1] ?? '').toLowerCase()]
    if (!field) continue
    const value = (m[2] ?? '').trim()
    if (field === 'name') {
      current = {}
      blocks.push(current)
    }
    if (current && !(field in current)) current[field] = value
  }

  return blocks
    .filter((b) => /^(connected|已连接)$/i.test(b.state ?? ''))
    .map((b) => ({
      bssid: mac(b.bssid ?? null),
      connected: true,
      interface: b.name || null,
      security: normaliseSecurity(b.auth || null, b.cipher || null),
      ssid: b.ssid || null,
    }))
}

/** The fragment's {base64, exitCode} → rows. */
export function parseWifiFragment(fragment: unknown[]): Row[] {
  const data = single(fragment)
  const base64 = str(data.base64)
  const text = base64 ? decodeText(Buffer.from(base64, 'base64')) : ''
  if (text.trim() === '') {
    const code = int(data.exitCode)
    throw new FactError('failed', `netsh wlan show interfaces printed nothing${code === null ? '' : ` (exit ${code})`}`)
  }
  return parseNetshInterfaces(text)
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  return parseWifiFragment(await runFragment(ctx, 'wifi', SCRIPT, 'netsh wlan show interfaces'))
}
