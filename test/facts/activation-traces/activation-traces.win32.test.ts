import {expect} from 'chai'

import {collect, FILE_TRACES, parseActivationTraces} from '../../../src/facts/activation-traces/activation-traces.win32.js'
import {FactError} from '../../../src/os/fact-error.js'
import {denied, noPowerShell, psFixture, winContext} from '../win32/ps-fixtures.js'

describe('activation_traces (win32)', () => {
  it('reports a KMSpico install, its KMS host and its renewal task', () => {
    expect(parseActivationTraces(psFixture('activation-traces.json'))).to.deep.equal([
      {detail: 'KMSpico', kind: 'file', location: 'C:\\Program Files\\KMSpico'},
      {detail: 'KMSpico / KMSAuto (SECOH-QAD)', kind: 'file', location: 'C:\\Windows\\SECOH-QAD.exe'},
      {detail: 'kms.03k.org', kind: 'kms_host', location: 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform\\KeyManagementServiceName'},
      {detail: 'KMSpico', kind: 'task', location: '\\AutoPico Daily Restart'},
    ])
  })

  it('reports KMS_VL_ALL hooks, Office KMS hosts and MAS renewal, not look-alike tasks', () => {
    expect(parseActivationTraces(psFixture('activation-traces-kms-vl-all.json'))).to.deep.equal([
      {detail: 'KMS_VL_ALL', kind: 'file', location: 'C:\\Windows\\System32\\SppExtComObjHook.dll'},
      {detail: 'SppExtComObjHook.dll', kind: 'ifeo', location: 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options\\SppExtComObj.exe\\VerifierDlls'},
      {detail: '172.16.0.2', kind: 'kms_host', location: 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform\\KeyManagementServiceName'},
      {detail: '172.16.0.2', kind: 'kms_host', location: 'HKLM\\SOFTWARE\\Microsoft\\OfficeSoftwareProtectionPlatform\\KeyManagementServiceName'},
      {detail: 'MAS Online KMS (Activation-Renewal)', kind: 'task', location: '\\Activation-Renewal'},
    ])
  })

  it('has no rows on a clean machine', () => {
    expect(parseActivationTraces(psFixture('scenario-clean/activation-traces.json'))).to.deep.equal([])
  })

  it('checks every activator path of names.md', async () => {
    const ctx = winContext({activation_traces: psFixture('scenario-clean/activation-traces.json')})
    await collect(ctx)
    const script = ctx.scripts()[0] ?? ''
    for (const trace of FILE_TRACES) expect(script).to.contain(`'${trace.pattern}'`)
    for (const needle of ['KMSELDI.exe', 'SECOH-QAD.exe', 'AutoKMS', 'KMSAuto*', 'AAct', 'SppExtComObjHook.dll', 'HEU_KMS_Activator*.exe', 'Activation_task.cmd', 'Image File Execution Options', 'KeyManagementServiceName', 'Get-ScheduledTask']) {
      expect(script).to.contain(needle)
    }
  })

  it('fails with a reason when PowerShell is missing or access is denied', async () => {
    expect(((await collect(noPowerShell()).catch((e: unknown) => e)) as FactError).kind).to.equal('missing_tool')
    expect(((await collect(winContext({activation_traces: denied()})).catch((e: unknown) => e)) as FactError).message).to.match(/needs administrator/)
  })
})
