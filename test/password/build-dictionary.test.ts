// The committed pack (data/zh-dictionary.json) must be what `npm run build:dictionary` makes from
// the registry packages installed now: a dependency bump or an edit of data/zh-common.json that
// was not followed by a rebuild fails here.
import {readFileSync} from 'node:fs'

import {expect} from 'chai'

import {buildPack, PACK_FILE, readRegistrySources, serialisePack} from '../../src/password/build-dictionary.js'
import {loadZhPack} from '../../src/password/zh-pack.js'

describe('password/build-dictionary', function () {
  this.timeout(60_000)

  it('matches a fresh build from the registry data (else run `npm run build:dictionary`)', async () => {
    const fresh = serialisePack(buildPack(await readRegistrySources()))
    const committed = readFileSync(PACK_FILE, 'utf8')
    expect(fresh === committed, 'data/zh-dictionary.json is out of date: run `npm run build:dictionary`').to.equal(true)
  })

  it('holds the places, names and strings the model needs, romanised', () => {
    const {lists, index, syllables} = loadZhPack()
    expect(lists.regions).to.include.members(['hebei', 'hb', 'shijiazhuang', 'sjz', 'beijing'])
    expect(lists.counties).to.include.members(['gaocheng', 'gc', 'gaochengqu', 'gcq', 'zhengding'])
    expect(lists.surnames.slice(0, 60)).to.include.members(['wang', 'li', 'zhang', 'liu', 'chen'])
    expect(lists.givenSyllables).to.include.members(['wei', 'fang', 'ying'])
    expect(lists.loveCodes).to.include.members(['5201314', 'woaini', 'yishengyishi'])
    expect(lists.departments).to.include.members(['zfb', 'xcb', 'wxb', 'zwgk'])
    expect(lists.platforms).to.include.members(['weixin', 'gzh', 'weibo', 'douyin'])
    expect(lists.topPasswords).to.include.members(['dearbook', 'woaini1314', '1qaz2wsx'])
    expect(syllables).to.include.members(['zhuang', 'lv', 'a'])
    expect(index.dictionaries[0]).to.equal('passwords-common')
  })
})
