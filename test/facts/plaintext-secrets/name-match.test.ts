import {expect} from 'chai'

import {passwordNameKeyword} from '../../../src/facts/plaintext-secrets/name-match.js'

describe('plaintext_secrets: password-like file names', () => {
  it('finds Chinese words, with any extension', () => {
    const names: Array<[string, string]> = [
      ['密码.txt', '密码'],
      ['账号.xlsx', '账号'],
      ['新媒体账号密码.docx', '密码'],
      ['微博帐号.wps', '帐号'],
      ['抖音账户信息.et', '账户'],
      ['系统口令', '口令'],
      ['政务号登录信息.txt', '登录信息'],
      ['登陆信息(旧).doc', '登陆信息'],
      ['密碼表.xls', '密碼'],
      ['账密截图.png', '账密'],
      ['账号密码.docx.lnk', '密码'],
    ]
    for (const [name, keyword] of names) expect(passwordNameKeyword(name), name).to.equal(keyword)
  })

  it('finds English words and pinyin in any case, alone, glued to other words or to digits', () => {
    const names: Array<[string, string]> = [
      ['password.txt', 'password'],
      ['Passwords.XLSX', 'password'],
      ['WeiboPassword2023.txt', 'password'],
      ['PASSWD', 'passwd'],
      ['weibo_pwd.txt', 'pwd'],
      ['WeiboPWD.txt', 'pwd'],
      ['PwdWeibo.txt', 'pwd'],
      ['douyin-psw.txt', 'psw'],
      ['mima.txt', 'mima'],
      ['weibomima.txt', 'mima'],
      ['MiMa2024.docx', 'mima'],
      ['zhanghao.xlsx', 'zhanghao'],
      ['DouyinZhangHao.xlsx', 'zhanghao'],
      ['KOULING.txt', 'kouling'],
      ['wxmimaben.txt', 'mimaben'],
      ['aws-credentials.csv', 'credentials'],
      ['ｐａｓｓｗｏｒｄ.txt', 'password'],
    ]
    for (const [name, keyword] of names) expect(passwordNameKeyword(name), name).to.equal(keyword)
  })

  it('leaves look-alikes alone', () => {
    const names = [
      'passport.pdf',
      '护照passport扫描.jpg',
      'boarding pass.pdf',
      'compass.png',
      'bypass-guide.docx',
      'pwdump.zip',
      'mimaki-driver.zip',
      'zhanghua简历.docx', // 张华, a person
      '中华人民共和国密码法.pdf',
      '商用密码应用安全性评估管理办法.docx',
      '密码学基础.pdf',
      'Bank account statement.pdf',
      '1Password-Setup.exe',
      'KeePassXC-2.7.9-Win64.msi',
      '2024年工作总结.docx',
      '',
    ]
    for (const name of names) expect(passwordNameKeyword(name), name).to.equal(null)
  })

  it('still sees a password file named beside a cryptography word', () => {
    expect(passwordNameKeyword('密码法学习与账号.txt')).to.equal('账号')
    expect(passwordNameKeyword('商用密码-微博密码.txt')).to.equal('密码')
  })
})
