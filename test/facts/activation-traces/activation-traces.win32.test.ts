import {expect} from 'chai'

import {collect, FILE_TRACES, KMS_KEYS, parseActivationTraces, TASK_TRACES} from '../../../src/facts/activation-traces/activation-traces.win32.js'
import {FactError} from '../../../src/os/fact-error.js'
import {denied, noPowerShell, psFixture, winContext} from '../win32/ps-fixtures.js'

describe('activation_traces (win32)', () => {
  it('reports a KMSpico install, its KMS host and its renewal task', () => {
    expect(parseActivationTraces(psFixture('activation-traces.json'))).to.deep.equal([
      {detail: 'KMSpico', kind: 'file', location: 'C:\\Program Files\\KMSpico'},
      {detail: 'KMSpico (SECOH-QAD)', kind: 'file', location: 'C:\\Windows\\SECOH-QAD.exe'},
      {detail: 'kms.03k.org', kind: 'kms_host', location: 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform\\KeyManagementServiceName'},
      {detail: 'KMSpico', kind: 'task', location: '\\AutoPico Daily Restart'},
    ])
  })

  it('reports KMS_VL_ALL hooks and task, Office KMS hosts in both registry views and MAS renewal, not look-alike tasks', () => {
    const SPP = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform'
    expect(parseActivationTraces(psFixture('activation-traces-kms-vl-all.json'))).to.deep.equal([
      {detail: 'KMS_VL_ALL', kind: 'file', location: 'C:\\Windows\\System32\\SppExtComObjHook.dll'},
      {detail: 'MAS Online KMS (Activation-Renewal)', kind: 'file', location: 'C:\\Program Files\\Activation-Renewal'},
      {detail: 'SppExtComObjHook.dll', kind: 'ifeo', location: 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options\\SppExtComObj.exe\\VerifierDlls'},
      {detail: '172.16.0.2', kind: 'kms_host', location: `${SPP}\\KeyManagementServiceName`},
      {detail: '172.16.0.2', kind: 'kms_host', location: 'HKLM\\SOFTWARE\\Microsoft\\OfficeSoftwareProtectionPlatform\\KeyManagementServiceName'},
      {detail: '172.16.0.2', kind: 'kms_host', location: 'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform\\0ff1ce15-a989-479d-af46-f275c6370663\\KeyManagementServiceName'},
      {detail: '127.0.0.2', kind: 'kms_host', location: `${SPP}\\55c92734-d682-4d71-983e-d6ec3f16059f\\2de67392-b7a7-462a-b1ca-108dd189f588\\KeyManagementServiceName`},
      {detail: 'MAS Online KMS (Activation-Renewal)', kind: 'task', location: '\\Activation-Renewal'},
      {detail: 'MAS Online KMS (Activation-Renewal)', kind: 'task', location: '\\Activation-Run_Once'},
      {detail: 'KMS_VL_ALL', kind: 'task', location: '\\Microsoft\\Windows\\SoftwareProtectionPlatform\\SvcTrigger'},
    ])
  })

  it('has no rows on a clean machine', () => {
    expect(parseActivationTraces(psFixture('scenario-clean/activation-traces.json'))).to.deep.equal([])
  })

  it('checks every sourced location, in both registry views, and no longer the unsourced System32\\KMSELDI.exe', async () => {
    const ctx = winContext({activation_traces: psFixture('scenario-clean/activation-traces.json')})
    await collect(ctx)
    const script = ctx.scripts()[0] ?? ''
    for (const trace of FILE_TRACES) expect(script).to.contain(`'${trace.pattern}'`)
    for (const trace of TASK_TRACES) expect(script).to.contain(`'${trace.pattern}'`)
    for (const key of KMS_KEYS) expect(script).to.contain(`'${key}'`)
    expect(script).to.contain('WOW6432Node')
    for (const needle of ['Image File Execution Options', "'sppsvc.exe'", 'KeyManagementServiceName', 'Get-ScheduledTask', "'%ProgramFiles%\\Activation-Renewal'"]) expect(script).to.contain(needle)
    expect(script).to.not.contain('KMSELDI')
  })

  it('fails with a reason when PowerShell is missing or access is denied', async () => {
    expect(((await collect(noPowerShell()).catch((e: unknown) => e)) as FactError).kind).to.equal('missing_tool')
    expect(((await collect(winContext({activation_traces: denied()})).catch((e: unknown) => e)) as FactError).message).to.match(/needs administrator/)
  })
})
