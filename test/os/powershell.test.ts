import {expect} from 'chai'

import {FactError} from '../../src/os/fact-error.js'
import {BEGIN_MARKER, BOOTSTRAP, END_MARKER, parseFramedOutput, POWERSHELL_ARGS, runPowerShell, wrapScript} from '../../src/os/powershell.js'
import {fakeExec} from '../helpers/fake-exec.js'

describe('PowerShell runner (src/os/powershell.ts)', () => {
  it('starts the system powershell.exe with a short fixed command line, the script going on stdin', async () => {
    const script = `${"Write-Output '宣传部 张伟'\n".repeat(4000)}`
    const exec = fakeExec({powershell: `${BEGIN_MARKER}[]${END_MARKER}`})
    await runPowerShell(exec, script)
    const [call] = exec.calls
    expect(call?.[0]).to.equal('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe')
    expect(call?.slice(1)).to.deep.equal([...POWERSHELL_ARGS])
    expect(call?.join(' ').length).to.be.below(400)
    expect(BOOTSTRAP).not.to.contain('"')
    const sent = exec.inputs[0] as Buffer
    expect(Buffer.isBuffer(sent)).to.equal(true)
    expect(sent.toString('utf8')).to.contain(script)
  })

  it('reads only the framed value: profile lines, warnings and progress around it are ignored', () => {
    const noisy = [
      'Windows PowerShell 配置文件已加载',
      '警告: 某模块已弃用',
      'WARNING: something',
      `${BEGIN_MARKER}[{"名称":"微信","n":1}]${END_MARKER}`,
      '',
    ].join('\r\n')
    expect(parseFramedOutput(noisy)).to.deep.equal([{n: 1, 名称: '微信'}])
    expect(parseFramedOutput(`${BEGIN_MARKER}null${END_MARKER}`)).to.deep.equal([])
    expect(parseFramedOutput(`x${BEGIN_MARKER}{"a":1}${END_MARKER}`)).to.deep.equal([{a: 1}])
  })

  it('says what PowerShell printed when there is no framed value', () => {
    expect(() => parseFramedOutput('Get-CimInstance : 无法识别\r\n')).to.throw(FactError, /printed no result: Get-CimInstance : 无法识别/)
    expect(() => parseFramedOutput(`${BEGIN_MARKER}{oops${END_MARKER}`)).to.throw(FactError, /not JSON/)
  })

  it('turns a refusal on stderr into a permission error', async () => {
    const exec = fakeExec({powershell: {code: 1, stderr: 'Get-NetFirewallProfile : 拒绝访问。', stdout: ''}})
    const error = await runPowerShell(exec, '1').catch((e: unknown) => e)
    expect(error).to.be.instanceOf(FactError).with.property('kind', 'permission')
  })

  it('wraps the script so its pipeline output comes back as one JSON array in one write', () => {
    const wrapped = wrapScript('Get-Date')
    expect(wrapped).to.contain('$nmgValue = @(& {\nGet-Date\n})')
    expect(wrapped).to.contain("$ProgressPreference = 'SilentlyContinue'")
    expect(wrapped.match(/\[Console\]::Out\.Write/g)).to.have.length(1)
  })
})
