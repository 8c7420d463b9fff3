// Installed software on Linux: dpkg (Debian, Ubuntu, 统信UOS, 银河麒麟 desktop), rpm (Kylin server,
// 中标麒麟, openEuler, RHEL), snap and flatpak, whichever are present, read concurrently.
import {installedPackages, type InstalledPackage} from '../linux/packages.js'
import type {CollectContext, Row} from '../types.js'

export function softwareRows(packages: InstalledPackage[]): Row[] {
  return packages.map((p) => ({
    install_date: p.install_date,
    location: p.location,
    name: p.name,
    publisher: p.publisher,
    source: p.source,
    user: p.user,
    version: p.version,
  }))
}

export async function collect(ctx: CollectContext, root = '/'): Promise<Row[]> {
  return softwareRows((await installedPackages(ctx, root)).packages)
}
