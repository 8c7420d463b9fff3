// Which processes, packages and services belong to which security product. This is fact-gathering
// knowledge (what "running" means for a product), not policy: policies judge the resulting rows.
// Sources: ../shared/reference/names.md. Match names case-insensitively.
import type {Row} from './types.js'

export interface KnownProduct {
  name: string
  /** Process image names (Windows .exe names are matched with and without the extension). */
  processes: string[]
  /** Linux package names. */
  packages?: string[]
  /** Windows service names. */
  services?: string[]
}

export const ANTIVIRUS_PRODUCTS: readonly KnownProduct[] = [
  {name: '360安全卫士 / 360杀毒', processes: ['360tray.exe', '360safe.exe', 'ZhuDongFangYu.exe', '360sd.exe', '360rp.exe', '360rps.exe', 'QHActiveDefense.exe', 'LiveUpdate360.exe'], packages: ['360safe', '360epp', '360sd']},
  {name: '火绒安全 Huorong', processes: ['HipsTray.exe', 'HipsDaemon.exe', 'HipsMain.exe', 'usysdiag.exe', 'wsctrl.exe', 'wsctrlsvc.exe', 'hrsvc'], packages: ['huorong', 'hrsecurity']},
  {name: '瑞星 Rising', processes: ['RavMonD.exe', 'RavMon.exe', 'rfwmain.exe', 'RsMgrSvc.exe', 'ravdaemon'], packages: ['rising', 'ravlinux', 'rav-esm']},
  {name: '金山毒霸 Kingsoft', processes: ['kxetray.exe', 'kxescore.exe', 'kxemain.exe', 'kscan.exe', 'KSafeSvc.exe', 'KSafeTray.exe']},
  {name: '奇安信天擎 QAX', processes: ['TQClient.exe', 'TQTray.exe', 'TQDefender.exe', 'QaxEngManager.exe', 'QAXEntClient.exe', 'QAXTray.exe', '360EntClient.exe', 'qaxengmanager', 'tqclient'], packages: ['qaxsafe', 'tianqing', 'skylar', 'qax-tianqing']},
  {name: '腾讯电脑管家', processes: ['QQPCRTP.exe', 'QQPCTray.exe', 'QQPCMgr.exe']},
  {name: '江民 Jiangmin', processes: ['KVMonXP.exe', 'KVsrvXP.exe', 'KVwsc.exe'], packages: ['jiangmin', 'kv-linux']},
  {name: '亚信安全 Trend Micro', processes: ['PccNTMon.exe', 'PccNT.exe', 'ntrtscan.exe', 'TMBMSRV.exe', 'ds_agent'], packages: ['ds-agent', 'tmcmagent']},
  {name: '深信服 EDR', processes: ['edr_agent.exe', 'edr_monitor.exe', 'edr_agent', 'edr_monitor'], packages: ['sangfor-edr', 'eps-agent']},
  {name: '启明星辰', processes: ['ESAV.exe']},
  {name: '天融信 Topsec', processes: ['TopsecMain.exe', 'TopsecTray.exe']},
  {name: '安恒 DAS', processes: ['AgentService.exe']},
  {name: 'Microsoft Defender', processes: ['MsMpEng.exe', 'NisSrv.exe'], services: ['WinDefend']},
  {name: 'ClamAV', processes: ['clamd', 'freshclam', 'clamonacc'], packages: ['clamav', 'clamav-daemon', 'clamav-freshclam', 'clamd']},
]

export const VPN_CLIENTS: readonly KnownProduct[] = [
  {name: '深信服 EasyConnect', processes: ['EasyConnect.exe', 'ECAgent.exe', 'SangforCSClient.exe', 'SangforServiceClient.exe', 'EasyConnect', 'ECAgent', 'svpnservice', 'CSClient'], packages: ['easyconnect', 'com.sangfor.easyconnect'], services: ['SangforVnic', 'SangforSP']},
  {name: '深信服 aTrust', processes: ['aTrustTray.exe', 'aTrustAgent.exe', 'aTrustAgent', 'aTrustTray', 'aTrustCore'], packages: ['atrust', 'com.sangfor.atrust'], services: ['aTrustService']},
  {name: '华为 SecoClient', processes: ['SecoClient.exe', 'SecoClient', 'SecoClientPromoteService'], packages: ['secoclient']},
  {name: 'H3C iNode', processes: ['iNode Client.exe', 'iNodeCmn.exe', 'iNodeMon.exe', 'iNodeClient', 'iNodeMon'], packages: ['inode', 'inodeclient']},
  {name: '天融信 VPN', processes: ['TopVPN.exe', 'TopSAP.exe', 'topvpn', 'TopSAP'], packages: ['topsap', 'topvpn']},
  {name: '奇安信 VPN', processes: ['QAXVPN.exe', 'qaxvpn'], packages: ['qaxvpn']},
  {name: 'OpenVPN', processes: ['openvpn.exe', 'openvpn-gui.exe', 'openvpn'], packages: ['openvpn'], services: ['OpenVPNService', 'OpenVPNServiceInteractive']},
  {name: 'WireGuard', processes: ['wireguard.exe', 'wg-quick'], packages: ['wireguard-tools', 'wireguard'], services: ['WireGuardManager']},
  {name: 'strongSwan / IPsec', processes: ['charon', 'charon-systemd'], packages: ['strongswan']},
  {name: 'OpenConnect / AnyConnect', processes: ['openconnect', 'vpnagentd', 'vpnui.exe', 'vpnagent.exe'], packages: ['openconnect']},
]

const stripExe = (name: string): string => name.toLowerCase().replace(/\.exe$/, '')

/** The product a process name belongs to, matching with or without ".exe". */
export function productForProcess(products: readonly KnownProduct[], processName: string): KnownProduct | undefined {
  const wanted = stripExe(processName)
  return products.find((p) => p.processes.some((name) => stripExe(name) === wanted))
}

/** The product a package name belongs to. */
export function productForPackage(products: readonly KnownProduct[], packageName: string): KnownProduct | undefined {
  const wanted = packageName.toLowerCase()
  return products.find((p) => p.packages?.some((name) => name.toLowerCase() === wanted))
}

/**
 * An antivirus row for a product seen only by its process or package: whether it protects in
 * real time and how fresh its signatures are is unknown (null), so a policy cannot count it as
 * active by mistake.
 */
export function sightedAntivirusRow(name: string, running: boolean, source: 'package' | 'process'): Row {
  return {name, realtime_enabled: null, running, signatures_age_days: null, signatures_updated_at: null, source, up_to_date: null}
}
