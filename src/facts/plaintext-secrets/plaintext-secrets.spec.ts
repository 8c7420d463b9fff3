import type {TableSpec} from '../types.js'

export const spec: TableSpec = {
  name: 'plaintext_secrets',
  description:
    'Password files in the user\'s Desktop, Documents and Downloads folders (3 levels of subfolders deep): files named like one (密码, 账号, password, pwd, mima…), and text or Office files of at most 1 MiB holding a managed password verbatim. Never the content. Elevated (the scheduled audit as SYSTEM or root), every local user\'s folders, by name only (their passwords are in their own keychain). Rows are always real findings; an empty table means the whole scan completed, otherwise the table is unavailable with the reason (deadline, permission, keychain unreadable).',
  platforms: ['linux', 'win32', 'darwin'],
  columns: [
    {name: 'path', type: 'text', description: 'Absolute path of the file.'},
    {name: 'name', type: 'text', description: 'The file name.'},
    {name: 'reason', type: 'text', description: 'content-match (holds a managed password verbatim) or file-name (named like a password file).'},
    {name: 'keyword', type: 'text', description: 'The password word in the name (密码, 账号, password, pwd, mima…); null when only the content matched.'},
    {name: 'folder', type: 'text', description: 'desktop, documents or downloads.'},
    {name: 'user', type: 'text', description: 'Whose folder it is.'},
    {name: 'size', type: 'integer', description: 'Size in bytes.'},
    {name: 'modified_at', type: 'datetime', description: 'Last modification time.'},
  ],
}
