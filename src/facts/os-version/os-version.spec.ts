import type {TableSpec} from '../types.js'

export const spec: TableSpec = {
  name: 'os_version',
  description: 'The operating system, its family and whether it is genuine (activated).',
  platforms: ['linux', 'win32', 'darwin'],
  columns: [
    {name: 'name', type: 'text', description: 'Product name, e.g. "Microsoft Windows 11 专业版", "UnionTech OS Desktop 20", "Kylin V10".'},
    {name: 'version', type: 'text', description: 'Version string.'},
    {name: 'build', type: 'text', description: 'Build number or kernel release.'},
    {name: 'platform', type: 'text', description: 'linux, win32 or darwin.'},
    {name: 'arch', type: 'text', description: 'CPU architecture (x64, arm64, loong64, mips64el…).'},
    {name: 'family', type: 'text', description: 'debian, uos, kylin, rhel, windows, macos, or the os-release ID.'},
    {name: 'genuine', type: 'boolean', description: 'Licensed/activated: true, false, or null where the OS has no such notion.'},
    {name: 'activation_channel', type: 'text', description: 'Windows ProductKeyChannel (Retail, OEM:DM, Volume:GVLK…); null elsewhere.', platforms: ['win32']},
    {name: 'kms_host', type: 'text', description: 'KMS host the licence is bound to (KeyManagementServiceMachine / registry), null when none.', platforms: ['win32']},
    {name: 'license_status', type: 'text', description: 'Licence status name (licensed, notification, grace…).', platforms: ['win32']},
  ],
}
