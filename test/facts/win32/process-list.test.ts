import {expect} from 'chai'

import {imageName, parseProcessList} from '../../../src/facts/win32/process-list.js'
import {psFixture} from './ps-fixtures.js'

describe('win32 process-list', () => {
  it('adds ".exe" as names.md writes image names, except for kernel pseudo-processes', () => {
    expect(imageName('ToDesk')).to.equal('ToDesk.exe')
    expect(imageName('iNode Client')).to.equal('iNode Client.exe')
    expect(imageName('System')).to.equal('System')
    expect(imageName('Idle')).to.equal('Idle')
    expect(imageName('Memory Compression')).to.equal('Memory Compression')
    expect(imageName('explorer', 'C:\\Windows\\Explorer.EXE')).to.equal('explorer.exe')
    expect(imageName('Douyin', 'C:\\Program Files (x86)\\Douyin\\Douyin.exe')).to.equal('Douyin.exe')
  })

  it('keeps paths and owners when elevated, nulls otherwise', () => {
    const elevated = parseProcessList(psFixture('processes.json'))
    expect(elevated.find((p) => p.pid === 3656)).to.deep.equal({name: 'SunloginClient.exe', path: 'C:\\Program Files\\Oray\\SunLogin\\SunloginClient\\SunloginClient.exe', pid: 3656, user: 'NT AUTHORITY\\SYSTEM'})
    const user = parseProcessList(psFixture('processes-user.json'))
    expect(user.find((p) => p.pid === 3880)).to.deep.equal({name: 'ToDesk_Service.exe', path: null, pid: 3880, user: null})
  })
})
