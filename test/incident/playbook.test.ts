import {expect} from 'chai'

import {playbook, renderPlaybook} from '../../src/incident/playbook.js'

describe('playbook (断网预案)', () => {
  it('walks from the first sign to the review, in Chinese', () => {
    const book = playbook('zh-CN')
    expect(book.title).to.contain('断网预案')
    expect(book.steps.map((s) => s.title)).to.deep.equal([
      '识别入侵迹象',
      '立即断网',
      '不要关机或清除',
      '保全证据',
      '在时限内报告',
      '在干净的电脑上改密码、解绑设备',
      '检查并删除未授权内容',
      '清理并获批后再恢复联网',
      '记录与复盘',
    ])
    const detail = (i: number) => book.steps[i]?.detail ?? ''
    expect(detail(1)).to.contain('nm-guard disconnect --confirm <主机名>')
    expect(detail(1)).to.contain('拔掉网线')
    expect(detail(4)).to.match(/网信.*公安/)
    expect(detail(4)).to.contain('1 小时')
    expect(detail(4)).to.contain('本单位负责人')
    for (const platform of ['微信公众平台', '微博', '抖音', '今日头条', '百家号']) expect(detail(5)).to.contain(platform)
    expect(detail(5)).to.contain('干净的电脑')
    expect(detail(7)).to.contain('nm-guard reconnect')
  })

  it('has the same steps in English', () => {
    const zh = playbook('zh-CN')
    const en = playbook('en')
    expect(en.steps).to.have.length(zh.steps.length)
    expect(en.steps[1]?.detail).to.contain('nm-guard disconnect --confirm <host name>')
    expect(en.steps[1]?.detail).to.contain('pull the network cable')
    expect(en.steps[7]?.detail).to.contain('nm-guard reconnect')
    for (const [i, step] of en.steps.entries()) {
      expect(step.title, `step ${i + 1}`).to.not.equal(zh.steps[i]?.title)
      expect(step.title).to.not.match(/^playbook\./)
      expect(step.detail).to.not.match(/^playbook\./)
    }
  })

  it('renders as a numbered list with details indented under each step', () => {
    const text = renderPlaybook(playbook('zh-CN'))
    const lines = text.split('\n')
    expect(lines[0]).to.contain('断网预案')
    expect(lines).to.include('1. 识别入侵迹象')
    expect(lines).to.include('9. 记录与复盘')
    expect(lines).to.include('   以管理员/root 身份运行：nm-guard disconnect --confirm <主机名>')
    expect(lines).to.include('   如果无法运行 nm-guard，直接拔掉网线并关闭 Wi-Fi。')
    const book = {steps: Array.from({length: 10}, (_, i) => ({detail: 'd', title: `s${i + 1}`})), title: 'T'}
    expect(renderPlaybook(book).split('\n')).to.include.members([' 1. s1', '    d', '10. s10'])
  })
})
