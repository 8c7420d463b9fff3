// Builds a throw-away filesystem root (etc/, proc/, sys/, var/…) for the Linux collectors' `root`
// parameter, so collect() runs against recorded files instead of this machine's.
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

export type FakeEntry = Buffer | string | {symlink: string} | {dir: true} | {content: Buffer | string; mtime: Date}

const roots: string[] = []

/** Creates a root holding `entries` (paths relative to the root). Remove them all with removeFakeRoots(). */
export function fakeRoot(entries: Record<string, FakeEntry>): string {
  const root = mkdtempSync(join(tmpdir(), 'nmg-root-'))
  roots.push(root)
  for (const [relative, entry] of Object.entries(entries)) {
    const path = join(root, relative)
    if (typeof entry === 'object' && 'dir' in entry) {
      mkdirSync(path, {recursive: true})
      continue
    }
    mkdirSync(dirname(path), {recursive: true})
    if (typeof entry === 'object' && 'symlink' in entry) symlinkSync(entry.symlink, path)
    else if (typeof entry === 'object' && 'mtime' in entry) {
      writeFileSync(path, entry.content)
      utimesSync(path, entry.mtime, entry.mtime)
    } else writeFileSync(path, entry)
  }
  return root
}

export function removeFakeRoots(): void {
  for (const root of roots.splice(0)) rmSync(root, {force: true, recursive: true})
}

/** /proc/<pid>/status for a process (the shape of a real 6.x kernel's, trimmed to what is read). */
export function procStatus(name: string, pid: number, ppid: number, uid: number): string {
  return `Name:\t${name}\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t${pid}\nNgid:\t0\nPid:\t${pid}\nPPid:\t${ppid}\nTracerPid:\t0\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\nGid:\t${uid}\t${uid}\t${uid}\t${uid}\nKthread:\t0\n`
}

/** Entries for one fake process: status, exe link and optional socket fds. */
export function fakeProcess(pid: number, p: {name: string; exe?: string; uid?: number; ppid?: number; sockets?: number[]}): Record<string, FakeEntry> {
  const entries: Record<string, FakeEntry> = {[`proc/${pid}/status`]: procStatus(p.name, pid, p.ppid ?? 1, p.uid ?? 0)}
  if (p.exe) entries[`proc/${pid}/exe`] = {symlink: p.exe}
  ;(p.sockets ?? []).forEach((inode, i) => {
    entries[`proc/${pid}/fd/${i + 3}`] = {symlink: `socket:[${inode}]`}
  })
  return entries
}

/** /sys/class/net of the desktop in ip-addr-desktop.json (wired r8169, Intel Wi-Fi, an MBIM modem). */
export const DESKTOP_SYSFS: Record<string, FakeEntry> = {
  'sys/class/net/docker0/bridge/bridge_id': '8000.000000000000\n',
  'sys/class/net/docker0/uevent': 'DEVTYPE=bridge\nINTERFACE=docker0\nIFINDEX=8\n',
  'sys/class/net/enp3s0/device/driver': {symlink: '../../../../bus/pci/drivers/r8169'},
  'sys/class/net/enp3s0/uevent': 'INTERFACE=enp3s0\nIFINDEX=2\n',
  'sys/class/net/lo/uevent': 'INTERFACE=lo\nIFINDEX=1\n',
  'sys/class/net/tap0/tun_flags': '0x1002\n',
  'sys/class/net/tap0/uevent': 'INTERFACE=tap0\nIFINDEX=6\n',
  'sys/class/net/tun0/tun_flags': '0x1001\n',
  'sys/class/net/tun0/uevent': 'INTERFACE=tun0\nIFINDEX=4\n',
  'sys/class/net/utun7/tun_flags': '0x1001\n',
  'sys/class/net/utun7/uevent': 'INTERFACE=utun7\nIFINDEX=5\n',
  'sys/class/net/veth1a2b3c/brport/state': '0\n',
  'sys/class/net/veth1a2b3c/uevent': 'INTERFACE=veth1a2b3c\nIFINDEX=9\n',
  'sys/class/net/wg0/uevent': 'DEVTYPE=wireguard\nINTERFACE=wg0\nIFINDEX=7\n',
  'sys/class/net/wlp2s0/device/driver': {symlink: '../../../../bus/pci/drivers/iwlwifi'},
  'sys/class/net/wlp2s0/uevent': 'DEVTYPE=wlan\nINTERFACE=wlp2s0\nIFINDEX=3\n',
  'sys/class/net/wlp2s0/wireless/.keep': '',
  'sys/class/net/wwan0/device/driver': {symlink: '../../../../bus/usb/drivers/cdc_mbim'},
  'sys/class/net/wwan0/uevent': 'DEVTYPE=wwan\nINTERFACE=wwan0\nIFINDEX=10\n',
}
