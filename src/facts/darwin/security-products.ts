// Security products that exist for macOS, by the process names their Mac editions run, added to
// the shared lists in known-products.ts (which are mostly Windows and Linux names). Entries marked
// (unverified) come from vendor documentation or forum posts, not from a machine.
import type {KnownProduct} from '../known-products.js'

export const DARWIN_ANTIVIRUS: readonly KnownProduct[] = [
  {name: 'Microsoft Defender for Endpoint', processes: ['wdavdaemon', 'wdavdaemon_enterprise', 'wdavdaemon_unprivileged']},
  {name: 'Sophos', processes: ['SophosScanD', 'SophosAntiVirus', 'SophosServiceManager', 'Sophos Endpoint']},
  {name: 'ESET', processes: ['esets_daemon', 'esets_gui', 'esets_ctl']},
  {name: 'Bitdefender', processes: ['BDLDaemon', 'bdldaemon', 'BitdefenderAgent']},
  {name: 'Avast', processes: ['com.avast.daemon', 'Avast']},
  {name: 'CrowdStrike Falcon', processes: ['falcond', 'com.crowdstrike.falcon.Agent']},
  {name: 'SentinelOne', processes: ['sentineld', 'SentinelAgent']},
  {name: 'Trend Micro', processes: ['iCoreService', 'TmccMac']}, // (unverified)
  {name: '360安全卫士 Mac版', processes: ['360Safe', '360SafeDaemon', '360sdMac']}, // (unverified)
  {name: '奇安信天擎 QAX', processes: ['QAXEntClient', 'TQClient', 'qaxengmanager']}, // (unverified)
]

export const DARWIN_VPN_CLIENTS: readonly KnownProduct[] = [
  {name: 'Tunnelblick (OpenVPN)', processes: ['Tunnelblick', 'openvpnstart']},
  {name: 'WireGuard', processes: ['WireGuard', 'WireGuardNetworkExtension']},
  {name: 'Tailscale', processes: ['Tailscale', 'tailscaled', 'IPNExtension', 'io.tailscale.ipn.macsys.network-extension']},
  {name: 'ZeroTier', processes: ['zerotier-one', 'ZeroTier']},
  {name: 'Cisco Secure Client / AnyConnect', processes: ['vpnagentd', 'Cisco Secure Client', 'Cisco AnyConnect Secure Mobility Client']},
  {name: 'FortiClient', processes: ['FortiClient', 'FortiTray', 'fctservctl2']},
  {name: 'GlobalProtect', processes: ['GlobalProtect', 'PanGPS']},
  {name: 'ClashX / Clash Verge', processes: ['ClashX', 'ClashX Pro', 'ClashX Meta', 'Clash Verge', 'verge-mihomo', 'mihomo', 'clash']},
  {name: 'V2rayU / V2RayXS', processes: ['V2rayU', 'V2RayXS', 'v2ray', 'xray']},
  {name: 'ShadowsocksX-NG', processes: ['ShadowsocksX-NG', 'ss-local']},
  {name: 'Surge', processes: ['Surge']},
]
