import {expect} from 'chai'

import {canonicalSubnet, checkContact, checkHost, checkList, checkName, checkPhone, checkSsid, checkSubnet, splitList} from '../../../src/policy/init/answers.js'
import {networkOf, parseCidr} from '../../../src/policy/init/cidr.js'

describe('policy init: checking the answers', () => {
  it('takes address ranges, not addresses, and names the range meant when host bits are set', () => {
    for (const ok of ['10.13.0.0/16', '0.0.0.0/0', '192.168.1.128/25', '2001:db8::/32', '2001:DB8:0:0::/48', '::/0', '10.13.5.7/32']) expect(checkSubnet(ok), ok).to.equal(undefined)
    for (const bad of ['10.13.0.0', '10.13.0.0/33', '10.13.0.0/016', '10.13/16', '010.13.0.0/16', '2001:db8::/129', 'fe80::%eth0/64', 'x/8', ' 10.13.0.0/16', '10.13.0.0/16/1']) {
      expect(checkSubnet(bad), bad).to.have.property('key', 'policyInit.bad.cidr')
    }
    expect(checkSubnet('10.13.5.1/16')).to.deep.equal({key: 'policyInit.bad.hostBits', params: {network: '10.13.0.0/16', value: '10.13.5.1/16'}})
    expect(checkSubnet('2001:db8::1/64')).to.have.nested.property('params.network', '2001:db8::/64')
    expect(canonicalSubnet('2001:DB8:0:0::/48')).to.equal('2001:db8::/48')
  })

  it('computes networks in canonical form, IPv6 compressed as RFC 5952 says', () => {
    const net = (text: string): string => networkOf(parseCidr(text) as NonNullable<ReturnType<typeof parseCidr>>)
    expect(net('10.13.5.20/24')).to.equal('10.13.5.0/24')
    expect(net('10.13.5.20/0')).to.equal('0.0.0.0/0')
    expect(net('2001:db8:0:0:1:0:0:1/128')).to.equal('2001:db8::1:0:0:1/128')
    expect(net('2001:db8:1:2:3:4:5:6/48')).to.equal('2001:db8:1::/48')
    expect(net('::ffff:10.13.5.20/120')).to.equal('::ffff:a0d:500/120')
    expect(net('1:0:0:2:0:0:0:3/128')).to.equal('1:0:0:2::3/128')
  })

  it('limits Wi-Fi names to 32 bytes of UTF-8 (10 Chinese characters fit, 11 do not)', () => {
    expect(checkSsid('政务新媒体专用网络一号')).to.have.property('key', 'policyInit.bad.ssid')
    expect(checkSsid('政务新媒体专用网络一')).to.equal(undefined)
    expect(checkSsid('A'.repeat(32))).to.equal(undefined)
    expect(checkSsid('A'.repeat(33))).to.have.property('key', 'policyInit.bad.ssid')
    expect(checkSsid('')).to.have.property('key', 'policyInit.bad.ssid')
    expect(checkSsid('GC\u001B[2J')).to.have.property('key', 'policyInit.bad.ssid')
  })

  it('takes phone numbers as printable text with digits, at most 32 characters', () => {
    for (const ok of ['0311-00000000', '110', '+86 311 8888 0000 转 123', '（0311）88880000']) expect(checkPhone(ok), ok).to.equal(undefined)
    for (const bad of ['网信办', '1'.repeat(33), '0311\n110', '0311\u202E0000']) expect(checkPhone(bad), bad).to.have.property('key', 'policyInit.bad.phone')
  })

  it('takes names of 1 to 100 characters on one line', () => {
    expect(checkName('石'.repeat(100))).to.equal(undefined)
    expect(checkName('石'.repeat(101))).to.have.property('key', 'policyInit.bad.name')
    expect(checkName('')).to.have.property('key', 'policyInit.bad.name')
    expect(checkName('办公室\r\n第二行')).to.have.property('key', 'policyInit.bad.name')
  })

  it('takes host names (ASCII labels) and IP addresses as KMS hosts', () => {
    for (const ok of ['kms.gc.gov.cn', 'KMS01', '10.13.0.5', '2001:db8::5', 'a-b.c']) expect(checkHost(ok), ok).to.equal(undefined)
    for (const bad of ['kms_01.gov.cn', '-kms.cn', 'kms..cn', 'kms.cn.', '激活.gov.cn', `${'a'.repeat(64)}.cn`, 'kms.cn:1688', '']) {
      expect(checkHost(bad), bad).to.have.property('key', 'policyInit.bad.host')
    }
  })

  it('keeps the composed contact line within what the screen notice shows', () => {
    expect(checkContact('zh-CN', '区委网信办值班室', '0311-00000000', '0311-00000001')).to.equal(undefined)
    const long = checkContact('en', 'District cyberspace affairs office, network security duty room', '0311-00000000 ext 1234', '0311-00000001 ext 5678')
    expect(long).to.have.property('key', 'policyInit.bad.contactTooLong')
    expect(long?.params.length).to.be.greaterThan(120)
  })

  it('splits typed lists on commas of either width, 、 and semicolons, dropping blanks and repeats', () => {
    expect(splitList(' GC-ZWGK-5F，GC-ZWGK-3F、GC 2F;; GC-ZWGK-5F ')).to.deep.equal(['GC-ZWGK-5F', 'GC-ZWGK-3F', 'GC 2F'])
    expect(splitList('')).to.deep.equal([])
    expect(checkList(Array.from({length: 101}, (_, i) => `ssid-${i}`), checkSsid)).to.have.property('key', 'policyInit.bad.tooMany')
  })
})
