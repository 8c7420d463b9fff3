// Weak templates decorated the way attackers' rule sets (hashcat's best64 and the like) decorate a
// word list — a character or short decoration at either end, case changes, l33t, separators put
// inside — stay weak and say so; strong passwords that merely hold a word are not flagged.
import {expect} from 'chai'

import {createJudge} from '../../src/password/judge.js'
import {templateParts} from '../../src/password/model.js'
import {DECORATED_MAX_LOG10, parseDecorated, parseTemplate, type TemplateModel} from '../../src/password/template.js'
import type {Judge, Verdict} from '../../src/password/types.js'
import {loadZhPack} from '../../src/password/zh-pack.js'
import {seeded} from '../../bench/password-sets.js'

const codes = (v: Verdict): string[] => v.reasons.map((r) => r.code)

describe('password: decorated templates', function () {
  this.timeout(60_000)
  let judge: Judge
  let model: TemplateModel
  before(async () => {
    judge = await createJudge()
    model = templateParts(loadZhPack()).templateModel
  })

  it('the issue\'s examples: Gaocheng@2023x and Zhangwei@0315a! score ≤ 2, named "弱口令模板加少量字符"', () => {
    for (const [password, base] of [
      ['Gaocheng@2023x', 'place-year'],
      ['Zhangwei@0315a!', 'name-date'],
    ] as const) {
      const v = judge.check(password)
      expect(v.score, password).to.be.at.most(2)
      expect(v.weak, password).to.equal(true)
      expect(codes(v), password).to.include.members(['decorated-template', base])
      const reason = v.reasons.find((r) => r.code === 'decorated-template')
      expect(reason?.zh).to.equal('弱口令模板加少量字符')
      expect(reason?.en).to.equal('a weak template with a few characters added')
    }
  })

  // Each kind of rule on templates of each family; every one of these scored 3 or 4, or carried no
  // reason naming the decoration, before the template reader undid the rules.
  const KINDS: Record<string, Array<[string, string]>> = {
    'appended characters': [
      ['Gaocheng@2023x', 'place-year'],
      ['Admin@123x', 'common-password'],
      ['Zhangwei@0315a!', 'name-date'],
      ['sjz.2024.x', 'place-year'],
    ],
    'prepended characters': [
      ['xWeibo@2023', 'unit-year'],
      ['aZhangwei@1988', 'name-date'],
      ['q.Gcq@2023', 'place-year'],
      ['#aShijiazhuang2024', 'place-year'],
    ],
    'case changes': [
      ['gAOCHENG@2023', 'place-year'],
      ['zHANGWEI@0315', 'name-date'],
      ['lIUYANG@1990', 'name-date'],
      ['hUAWEI@2023', 'unit-year'],
      ['gaoCHeng2024', 'place-year'],
    ],
    'l33t': [
      ['G@ocheng2023', 'place-year'],
      ['zh4ngwei@1988', 'name-date'],
      ['Zh4ngw3i@0315', 'name-date'],
      ['L1uyang@1990', 'name-date'],
      ['W0ain1@1314', 'love-code'],
      ['Sh1j1azhuang#2024', 'place-year'],
    ],
    'inserted separators': [
      ['gao.cheng2023', 'place-year'],
      ['zhang_wei@1988', 'name-date'],
      ['Dou-yin#888', 'unit-year'],
    ],
    'two rules': [
      ['!G@ocheng2023x', 'place-year'],
      ['zh.angwei19880808!', 'name-date'],
    ],
  }
  for (const [kind, cases] of Object.entries(KINDS)) {
    for (const [password, base] of cases) {
      it(`${kind}: ${password} is weak (≤ 2, decorated-template, ${base})`, () => {
        const v = judge.check(password)
        expect(v.score).to.be.at.most(2)
        expect(codes(v)).to.include.members(['decorated-template', base])
      })
    }
  }

  it('reads what was undone: the decoration, the case, the l33t letters, the separator', () => {
    const kinds = (p: string): string[] | undefined => parseDecorated(model, p)?.decorated?.kinds
    expect(kinds('Gaocheng@2023x')).to.deep.equal(['affix'])
    expect(kinds('gAOCHENG@2023')).to.deep.equal(['case'])
    expect(kinds('G@ocheng2023')).to.deep.equal(['l33t'])
    expect(kinds('gao.cheng2023')).to.deep.equal(['separator'])
    expect(parseDecorated(model, 'gao.cheng2023')?.decorated?.base).to.equal('gaocheng2023')
    const t = parseDecorated(model, 'Gaocheng@2023x')
    expect(t?.parts.map((p) => p.kind)).to.deep.equal(['word', 'symbols', 'digits', 'affix'])
    expect(t?.log10).to.be.at.most(DECORATED_MAX_LOG10)
  })

  it('leaves the plain template reading as it was', () => {
    for (const password of ['Gaocheng@2023x', 'gao.cheng2023', 'G@ocheng2023', 'GaOcHeng2023']) expect(parseTemplate(model, password), password).to.equal(null)
  })

  it('keeps decorations short: up to three characters at an end, of which one letter', () => {
    expect(parseDecorated(model, 'Gaocheng@2023x!?')).to.not.equal(null)
    expect(parseDecorated(model, 'Gaocheng@2023x!?#')).to.equal(null)
    expect(parseDecorated(model, 'Gaocheng@2023xq')).to.equal(null)
  })

  const STRONG = [
    'Velvet.Orbit.Canyon.Maple7',
    'mango tundra pixel1 orbit',
    'Tq7$wGaochengLm2#Xp9',
    'k8#Rq2!vXzShijiazhuang9L',
    'zhangwei-Tq7$wLm2#Xp9',
    'Huawei!x7Qp#2vLm9',
    'Admin-Qz8#Lr2$Vw6',
    'gAoChEnG2023-Kp9#xQ2!vL',
  ]
  for (const password of STRONG) {
    it(`does not flag ${password}: it holds a word, but is no decorated template`, () => {
      const v = judge.check(password)
      expect(v.score).to.be.at.least(3)
      expect(codes(v)).to.not.include('decorated-template')
    })
  }

  it('accepts 16-character random passwords and four-word phrases (seeded, 400 of them)', () => {
    const rng = seeded(20_240_229)
    const printable = Array.from({length: 94}, (_, i) => String.fromCharCode(33 + i)).join('')
    const words = 'anchor basket candle desert eagle fabric garden harbor island jacket kettle lantern meadow needle orange pepper quartz rocket saddle timber velvet walnut yellow zipper'.split(' ')
    const flagged: string[] = []
    for (let k = 0; k < 400; k++) {
      const password =
        k % 2 === 0
          ? Array.from({length: 16}, () => printable[Math.floor(rng() * printable.length)]).join('')
          : Array.from({length: 4}, () => words[Math.floor(rng() * words.length)]).join(['-', '.', ' ', '_'][k % 4] as string)
      const v = judge.check(password)
      if (v.score < 3 || codes(v).includes('decorated-template')) flagged.push(password)
    }
    expect(flagged).to.deep.equal([])
  })

  it('bounds the work: a 40-character password is read in well under 100 ms', () => {
    const long = 'Gaocheng@2023x'.padEnd(40, 'k8#Rq2!vXz9L')
    parseDecorated(model, long)
    const started = performance.now()
    for (let k = 0; k < 5; k++) parseDecorated(model, long)
    expect((performance.now() - started) / 5).to.be.below(100)
    expect(parseDecorated(model, `${long}x`)).to.equal(null)
  })
})
