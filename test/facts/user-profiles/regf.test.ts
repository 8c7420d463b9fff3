import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {HiveError, readHiveKey} from '../../../src/facts/user-profiles/regf.js'
import {USER_SHELL_FOLDERS} from '../../../src/facts/user-profiles/user-profiles.win32.js'
import {hasCommand, requirePart} from '../../helpers/require-part.js'
import {emptyHive} from './empty-hive.js'
import {REG_EXPAND_SZ, REG_SZ, writeHive} from './hive-fixture.js'

describe('offline registry hive reader (regf)', () => {
  it('reads User Shell Folders and Environment values unexpanded from a hive hivexsh wrote', function () {
    requirePart(this, hasCommand('hivexsh'), 'hivexsh (apt install libhivex-bin)')
    const file = join(mkdtempSync(join(tmpdir(), 'nmg-hive-')), 'NTUSER.DAT')
    writeHive(file, {
      'Environment': {OneDrive: [REG_EXPAND_SZ, '%USERPROFILE%\\OneDrive']},
      'Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Shell Folders': {Desktop: [REG_SZ, 'C:\\Users\\王 芳\\Desktop']},
      [USER_SHELL_FOLDERS]: {
        'Desktop': [REG_EXPAND_SZ, '%USERPROFILE%\\OneDrive\\桌面'],
        'Personal': [REG_SZ, '\\\\fileserver\\home$\\王 芳\\文档'],
        '{374DE290-123F-4565-9164-39C4925E467B}': [REG_EXPAND_SZ, 'D:\\下载'],
      },
    })
    const hive = readFileSync(file)
    const usf = readHiveKey(hive, 'software\\microsoft\\windows\\currentversion\\explorer\\user shell folders')
    expect(Object.fromEntries([...(usf ?? [])].map(([k, v]) => [k, [v.type, v.text]]))).to.deep.equal({
      'Desktop': [REG_EXPAND_SZ, '%USERPROFILE%\\OneDrive\\桌面'],
      'Personal': [REG_SZ, '\\\\fileserver\\home$\\王 芳\\文档'],
      '{374DE290-123F-4565-9164-39C4925E467B}': [REG_EXPAND_SZ, 'D:\\下载'],
    })
    expect(readHiveKey(hive, 'Environment')?.get('OneDrive')?.text).to.equal('%USERPROFILE%\\OneDrive')
    expect(readHiveKey(hive, 'Software\\Policies')).to.equal(null)
  })

  it('refuses what is not a hive, and a crafted one whose offsets point outside the file, with a HiveError', () => {
    expect(() => readHiveKey(Buffer.from('MZ not a hive'), 'Environment')).to.throw(HiveError, /no regf signature/)
    const hive = emptyHive()
    hive.writeUInt32LE(0x7fff_0000, 0x24)
    expect(() => readHiveKey(hive, 'Environment')).to.throw(HiveError, /outside the file/)
    const looping = emptyHive()
    // The root's subkey list points back at the root key itself.
    looping.writeUInt32LE(1, 4096 + 0x24 + 20)
    looping.writeUInt32LE(0x20, 4096 + 0x24 + 28)
    expect(() => readHiveKey(looping, 'Environment')).to.throw(HiveError)
    expect(readHiveKey(emptyHive(), 'Environment')).to.equal(null)
  })
})
