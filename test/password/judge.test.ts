// The strength model on named cases of each structure of passwords-zh.md, on strong passwords, and
// on the rules and reasons around the score.
import {expect} from 'chai'

import {createJudge, TEMPLATE_SCORE_CAP} from '../../src/password/judge.js'
import {DEFAULT_RULES, type Judge, type Verdict} from '../../src/password/types.js'

const UNIT = {region: ['河北省', '石家庄市', '藁城区'], unitName: '石家庄市藁城区人民政府办公室'}

const codes = (v: Verdict): string[] => v.reasons.map((r) => r.code)

describe('password/judge', function () {
  this.timeout(30_000)
  let judge: Judge
  let local: Judge
  before(async () => {
    judge = await createJudge()
    local = await createJudge(DEFAULT_RULES, UNIT)
  })

  // [password, a reason code it must carry] — the judge knows nothing of the unit here: places,
  // names and departments count only through the dictionary pack.
  const WEAK: Record<string, Array<[string, string]>> = {
    'place + year': [
      ['Gaocheng2023', 'place-year'],
      ['sjz@2024', 'place-year'],
      ['Gcq@2023', 'place-year'],
      ['gaocheng2024', 'place-year'],
      ['Sjz#123', 'place-year'],
      ['ShiJiaZhuang@2024', 'place-year'],
      ['Hebei_2019', 'place-year'],
      ['2023Tangshan!', 'place-year'],
    ],
    'unit, department or platform + number': [
      ['Zfb@123456', 'unit-year'],
      ['Weibo@2023', 'unit-year'],
      ['xcb2024', 'unit-year'],
      ['Douyin#888', 'unit-year'],
    ],
    'name + date': [
      ['zhangwei19880808', 'name-date'],
      ['Wangfang0612', 'name-date'],
      ['liuyang@1990', 'name-date'],
      ['ZhangXiuYing1975', 'name-date'],
      ['zw1985', 'date'],
    ],
    'love code': [
      ['woaini1314', 'love-code'],
      ['5201314', 'love-code'],
      ['1314520', 'love-code'],
      ['iloveyou520', 'love-code'],
      ['Aini@521', 'love-code'],
    ],
    'keyboard walk': [
      ['1qaz@WSX', 'keyboard-walk'],
      ['qwer1234!', 'keyboard-walk'],
      ['!QAZ2wsx', 'keyboard-walk'],
      ['1q2w3e4r', 'keyboard-walk'],
      ['147258369', 'keyboard-walk'],
    ],
    'complexity-compliant but common': [
      ['Admin@123', 'common-password'],
      ['P@ssw0rd', 'common-password'],
      ['Aa123456', 'common-password'],
      ['Huawei@123', 'unit-year'],
      ['Abc@1234', 'sequence'],
    ],
    'digits': [
      ['13812345678', 'mobile-number'],
      ['19880808', 'date'],
      ['88888888', 'repeat'],
      ['123456789', 'common-password'],
      ['738261954', 'digits-only'],
    ],
  }

  for (const [structure, cases] of Object.entries(WEAK)) {
    for (const [password, code] of cases) {
      it(`${structure}: ${password} is weak (score ≤ 2, ${code})`, () => {
        const v = judge.check(password)
        expect(v.score, `score of ${password}`).to.be.at.most(2)
        expect(v.weak).to.equal(true)
        expect(codes(v)).to.include(code)
      })
    }
  }

  it('rejects complexity-compliant weak passwords on the score alone', () => {
    for (const password of ['Admin@123', 'P@ssw0rd', 'Huawei@123', 'Gcq@2023', '1qaz@WSX', 'Zhangwei@1988']) {
      const v = judge.check(password)
      expect(codes(v), password).to.not.include.members(['too-short', 'few-classes'])
      expect(v.weak, password).to.equal(true)
    }
  })

  const STRONG = [
    'k8#Rq2!vXz9L',
    'Tq7$wLm2#Xp9Vz',
    'mV4qT8zR2xW6nB',
    'Hx9!fP3@kQ7&cZ2^',
    'LunQiaoSuoPiePan38',
    'guomianxiangcundao47',
    'Bei-Zhuo-Kuan-Song-Ye-61',
    'gsx3KVn8ZQ5wt1YHm9',
  ]
  for (const password of STRONG) {
    it(`accepts ${password} (score ≥ 3)`, () => {
      expect(judge.check(password).score).to.be.at.least(3)
    })
  }

  it('caps at 2 a password read whole as a template, even when zxcvbn would count more guesses', () => {
    expect(TEMPLATE_SCORE_CAP).to.equal(2)
    expect(judge.check('881213!Daixiaodong.').score).to.be.at.most(2)
    expect(judge.check('Zhangxiuying@19750312').score).to.be.at.most(2)
  })

  it('leans on the user inputs: the custodian (romanised), the account, the platform', () => {
    const custodian = judge.check('Zhangsan@2024', ['gc_xcb', '张三', 'weibo'])
    expect(codes(custodian)).to.include('user-input')
    expect(codes(judge.check('Gcxcb#2024', ['gc_xcb', '张三']))).to.include('user-input')
    expect(codes(judge.check('Zs19900101', ['张三']))).to.include('user-input')
    expect(codes(judge.check('Zs19900101'))).to.not.include('user-input')
  })

  it("knows the unit's name and region from its context", () => {
    const withUnit = local.check('Rmzf#2023')
    expect(codes(withUnit)).to.include('user-input')
    expect(codes(judge.check('Rmzf#2023'))).to.not.include('user-input')
    expect(codes(local.check('gaochengqu2022'))).to.include.members(['user-input', 'place-year'])
  })

  it('applies the rules: length, character classes, minimum score', async () => {
    const short = judge.check('Aq7!x')
    expect(codes(short)).to.include('too-short')
    expect(short.reasons.find((r) => r.code === 'too-short')?.en).to.contain('8')
    const plain = judge.check('correct horse battery staple')
    expect(plain.score).to.be.at.least(3)
    expect(plain.weak).to.equal(true)
    expect(codes(plain)).to.deep.equal(['few-classes'])
    const strict = await createJudge({...DEFAULT_RULES, minLength: 20, minScore: 4})
    expect(codes(strict.check('Tq7$wLm2#Xp9Vz'))).to.deep.equal(['too-short'])
    expect(strict.check('Tq7$wLm2#Xp9Vz').reasons[0]?.zh).to.contain('20')
  })

  it('gives every reason in Chinese and English, and never the password', () => {
    const all = [...Object.values(WEAK).flat().map(([p]) => p), ...STRONG, '', 'a']
    for (const password of all) {
      const v = judge.check(password)
      for (const r of v.reasons) {
        expect(r.zh, r.code).to.match(/\p{Script=Han}/u)
        expect(r.en, r.code).to.match(/^[\x20-\x7e…]+$/)
        expect(r.en).to.not.contain('password.reason')
      }
      if (password.length >= 4) expect(JSON.stringify(v)).to.not.contain(password)
    }
  })

  it('says why when the score alone is low and no structure explains it', () => {
    expect(codes(judge.check(''))).to.include('predictable')
  })

  it('judges 1,000 characters quickly, on their first 100', () => {
    const long = 'k8#Rq2!vXz9L'.repeat(84)
    const started = performance.now()
    const v = judge.check(long)
    expect(performance.now() - started).to.be.below(500)
    expect(v.score).to.be.at.least(3)
  })
})
