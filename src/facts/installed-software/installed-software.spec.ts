import type {TableSpec} from '../types.js'

export const spec: TableSpec = {
  name: 'installed_software',
  description: 'Installed programs and packages from every package system present.',
  platforms: ['linux', 'win32', 'darwin'],
  timeoutMs: 20_000,
  columns: [
    {name: 'name', type: 'text', description: 'Package name or DisplayName.'},
    {name: 'version', type: 'text', description: 'Version, null when unknown.'},
    {name: 'publisher', type: 'text', description: 'Publisher / maintainer / vendor, null when unknown.'},
    {name: 'source', type: 'text', description: 'dpkg, rpm, snap, flatpak, registry, msix, msix-system or app. msix-system marks Windows’ own Appx apps (system-signed, non-removable, or Store-signed by Microsoft, including Microsoft-owned inbox apps such as Clipchamp); no policy check counts them as installed software the user chose. Appx frameworks and resource packs are left out.'},
    {name: 'install_date', type: 'text', description: 'ISO date of installation, null when unknown.'},
    {name: 'location', type: 'text', description: 'Install folder or bundle path, null when unknown.'},
    {name: 'user', type: 'text', description: 'The user (SID on Windows) a per-user install belongs to; null for machine-wide.'},
  ],
}
