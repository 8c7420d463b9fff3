// Absolute paths of the macOS tools the collectors run: a scheduled agent's PATH is minimal, and a
// security audit should not run whatever `ifconfig` happens to come first on PATH.
export const TOOLS = {
  arp: '/usr/sbin/arp',
  defaults: '/usr/bin/defaults',
  ifconfig: '/sbin/ifconfig',
  last: '/usr/bin/last',
  launchctl: '/bin/launchctl',
  log: '/usr/bin/log',
  lsof: '/usr/sbin/lsof',
  netstat: '/usr/sbin/netstat',
  networksetup: '/usr/sbin/networksetup',
  pfctl: '/sbin/pfctl',
  plutil: '/usr/bin/plutil',
  pmset: '/usr/bin/pmset',
  ps: '/bin/ps',
  route: '/sbin/route',
  scutil: '/usr/sbin/scutil',
  shasum: '/usr/bin/shasum',
  socketfilterfw: '/usr/libexec/ApplicationFirewall/socketfilterfw',
  softwareupdate: '/usr/sbin/softwareupdate',
  stat: '/usr/bin/stat',
  sudo: '/usr/bin/sudo',
  swVers: '/usr/bin/sw_vers',
  sysadminctl: '/usr/sbin/sysadminctl',
  sysctl: '/usr/sbin/sysctl',
  systemProfiler: '/usr/sbin/system_profiler',
  uname: '/usr/bin/uname',
  who: '/usr/bin/who',
} as const

/** Apple's install log: one dict per installed update or package, with an ISO `date`. */
export const INSTALL_HISTORY_PLIST = '/Library/Receipts/InstallHistory.plist'
