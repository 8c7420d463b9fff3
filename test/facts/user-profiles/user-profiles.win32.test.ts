import {mkdirSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {parseProfiles, resolveProfile, windowsProfiles} from '../../../src/facts/user-profiles/user-profiles.win32.js'
import {hasCommand, requirePart} from '../../helpers/require-part.js'
import {fakeRoot, removeFakeRoots} from '../linux/fake-root.js'
import {psFixture, winContext} from '../win32/ps-fixtures.js'
import {REG_EXPAND_SZ, REG_SZ, writeHive} from './hive-fixture.js'

const USF = 'Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\User Shell Folders'

describe('user profiles (win32)', () => {
  after(removeFakeRoots)

  it('reads every profile of the fragment, with its values unexpanded', () => {
    const raws = parseProfiles(psFixture('user-profiles.json'))
    expect(raws.map((r) => [r.sid.slice(-4), r.user, r.path, r.loaded, r.exists])).to.deep.equal([
      ['5-18', 'SYSTEM', 'C:\\Windows\\system32\\config\\systemprofile', true, true],
      ['1001', '张伟', 'C:\\Users\\张伟', true, true],
      ['1002', '王 芳', 'C:\\Users\\王 芳', false, true],
      ['2107', '李娜', 'C:\\Users\\李娜.GOV', true, true],
      ['1005', '已删除用户', 'C:\\Users\\已删除用户', false, false],
    ])
    expect(raws[1]?.values.Desktop).to.equal('%OneDrive%\\桌面')
  })

  it('expands each profile\'s folders against that profile, OneDrive and Group Policy redirections first', () => {
    const [, zhang, , li] = parseProfiles(psFixture('user-profiles.json'))
    if (!zhang || !li) throw new Error('fixture changed')
    expect(resolveProfile(zhang, zhang.values, zhang.oneDrive, 'loaded-hive')).to.deep.include({
      appData: 'C:\\Users\\张伟\\AppData\\Roaming',
      folders: {
        desktop: ['C:\\Users\\张伟\\OneDrive\\桌面', 'C:\\Users\\张伟\\Desktop'],
        documents: ['C:\\Users\\张伟\\Documents'],
        downloads: ['C:\\Users\\张伟\\Downloads'],
      },
      user: '张伟',
    })
    expect(resolveProfile(li, li.values, li.oneDrive, 'loaded-hive')).to.deep.include({
      appData: '\\\\fileserver\\home$\\李娜\\AppData\\Roaming',
      folders: {
        desktop: ['C:\\Users\\李娜.GOV\\Desktop'],
        documents: ['\\\\fileserver\\home$\\李娜\\文档', 'C:\\Users\\李娜.GOV\\Documents'],
        downloads: ['C:\\Users\\李娜.GOV\\Downloads'],
      },
    })
  })

  it('leaves out the system and deleted profiles, and reads a logged-off user\'s hive from NTUSER.DAT', async function () {
    requirePart(this, hasCommand('hivexsh'), 'hivexsh (apt install libhivex-bin)')
    const root = fakeRoot({'王 芳/OneDrive/桌面/.keep': ''})
    const wang = join(root, '王 芳')
    writeHive(join(wang, 'NTUSER.DAT'), {
      [USF]: {'Desktop': [REG_EXPAND_SZ, join(wang, 'OneDrive', '桌面')], '{374DE290-123F-4565-9164-39C4925E467B}': [REG_SZ, 'D:\\下载'], 'AppData': [REG_EXPAND_SZ, '%USERPROFILE%\\AppData\\Roaming']},
    })
    mkdirSync(join(root, 'lost'))
    const fragment = [
      ...psFixture('user-profiles.json').slice(0, 1),
      {Account: 'PC\\王 芳', Exists: true, Loaded: false, ProfilePath: wang, Sid: 'S-1-5-21-1-2-3-1002'},
      {Account: null, Exists: true, Loaded: false, ProfilePath: join(root, 'lost'), Sid: 'S-1-5-21-1-2-3-1003'},
    ]
    const profiles = await windowsProfiles(winContext({user_profiles: fragment}))
    expect(profiles.map((p) => [p.user, p.source, p.folders.desktop, p.folders.downloads, p.shortfall])).to.deep.equal([
      ['王 芳', 'offline-hive', [join(wang, 'OneDrive', '桌面'), join(wang, 'Desktop')], ['D:\\下载', join(wang, 'Downloads')], null],
      ['lost', 'defaults', [join(root, 'lost', 'Desktop')], [join(root, 'lost', 'Downloads')], `lost's known folders are unknown (no NTUSER.DAT): only the default folders of ${join(root, 'lost')} were searched`],
    ])
    expect(profiles[0]?.appData).to.equal(`${wang}\\AppData\\Roaming`)
  })
})
