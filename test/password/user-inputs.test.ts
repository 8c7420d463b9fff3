import {expect} from 'chai'

import {placeParts} from '../../src/password/places.js'
import {nameVariants, romanise} from '../../src/password/romanise.js'
import {inputVariants, unitVariants} from '../../src/password/user-inputs.js'

describe('password/user-inputs', () => {
  it('romanises places in full and as initials (石家庄 → shijiazhuang / sjz, 藁城 → gaocheng / gc)', () => {
    expect(romanise('石家庄')).to.deep.equal({full: ['shijiazhuang'], initials: 'sjz'})
    expect(romanise('藁城')).to.deep.equal({full: ['gaocheng'], initials: 'gc'})
    expect(romanise('绿园')).to.deep.equal({full: ['lvyuan', 'luyuan'], initials: 'ly'})
  })

  it('cuts a place down to what people type', () => {
    expect(placeParts('河北省')).to.deep.equal({base: '河北', suffix: '省'})
    expect(placeParts('藁城区')).to.deep.equal({base: '藁城', suffix: '区'})
    expect(placeParts('延边朝鲜族自治州')).to.deep.equal({base: '延边', suffix: '州'})
    expect(placeParts('海西蒙古族藏族自治州')).to.deep.equal({base: '海西', suffix: '州'})
    expect(placeParts('神农架林区')).to.deep.equal({base: '神农架', suffix: '区'})
    expect(placeParts('市辖区')).to.equal(null)
  })

  it("types a custodian's name every usual way, surnames read as surnames", () => {
    expect(nameVariants('张伟')).to.include.members(['zhangwei', 'zw', 'weizhang', 'zhangw'])
    expect(nameVariants('单雄信')).to.include('shanxiongxin')
    expect(nameVariants('欧阳娜娜', new Set(['欧阳']))).to.include.members(['ouyangnana', 'nanaouyang'])
  })

  it('splits an account name into its pieces', () => {
    const v = inputVariants('GC_wxb@163.com', new Set())
    expect(v.category).to.equal('user')
    expect(v.words).to.include.members(['gc_wxb@163.com', 'gcwxb163com', 'wxb', 'gc'])
    expect(inputVariants('李娜', new Set()).category).to.equal('person')
  })

  it("romanises the unit's region and its own name, with the usual abbreviations", () => {
    const [region, unit] = unitVariants({region: ['河北省', '石家庄市', '藁城区'], unitName: '石家庄市藁城区人民政府办公室'})
    expect(region?.words).to.include.members(['hebei', 'shijiazhuang', 'sjz', 'gaocheng', 'gc', 'gaochengqu', 'gcq'])
    expect(unit?.words).to.include.members(['renminzhengfu', 'zhengfu', 'bangongshi', 'zfb', 'rmzf', 'renminzhengfubangongshi'])
    expect(unitVariants(undefined)).to.deep.equal([])
  })
})
