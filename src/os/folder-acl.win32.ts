// Reads the ACL of a folder and of every folder above it in ONE Windows PowerShell 5.1 run (the
// runner in powershell.ts: powershell.exe by absolute path, the script on stdin, framed JSON back).
// SIDs and numbers only, never account names: those are localized. The paths travel as base64 of
// UTF-8, so no quote of any kind in a folder's name (PowerShell also takes ‘ ’ as quotes) can end
// a string early in a script that runs elevated.
import {folderAclProblem, folderChain, MAX_RULES, parseFolderAcls} from './folder-acl.js'
import {runPowerShell} from './powershell.js'
import type {UnsafeReason} from './safe-dir.js'
import type {Exec} from './types.js'

/** PowerShell starts in about half a second; Get-Acl of a dozen folders takes less. */
export const FOLDER_ACL_TIMEOUT_MS = 20_000

/** Output cap: a few hundred bytes per rule, MAX_RULES per folder, a path's depth of folders. */
export const FOLDER_ACL_MAX_BUFFER = 4 * 1024 * 1024

/**
 * Per path in $nmgPaths: its attributes (ReparsePoint: a junction or symlink in its place), owner
 * SID and every access rule, explicit and inherited, by SID; or the error reading it.
 */
export const FOLDER_ACL_PS = `$nmgSid = [System.Security.Principal.SecurityIdentifier]
foreach ($nmgPath in $nmgPaths) {
  try {
    $nmgItem = Get-Item -LiteralPath $nmgPath -Force
    $nmgAcl = Get-Acl -LiteralPath $nmgPath
    $nmgAll = @($nmgAcl.GetAccessRules($true, $true, $nmgSid))
    $nmgRules = @(foreach ($nmgRule in ($nmgAll | Select-Object -First ${MAX_RULES})) {
      [pscustomobject]@{
        Sid = $nmgRule.IdentityReference.Value
        Rights = [int]$nmgRule.FileSystemRights
        Type = [int]$nmgRule.AccessControlType
        Inherited = [bool]$nmgRule.IsInherited
        Inheritance = [int]$nmgRule.InheritanceFlags
        Propagation = [int]$nmgRule.PropagationFlags
      }
    })
    [pscustomobject]@{
      Path = $nmgPath
      Attributes = [int]$nmgItem.Attributes
      Owner = $nmgAcl.GetOwner($nmgSid).Value
      RuleCount = $nmgAll.Count
      Rules = $nmgRules
    }
  } catch {
    [pscustomobject]@{ Path = $nmgPath; Error = [string]$_.Exception.Message }
  }
}`

/** The whole script for `paths`: their list, decoded from base64 (no path is ever PowerShell text), then FOLDER_ACL_PS. */
export function folderAclScript(paths: string[]): string {
  const encoded = Buffer.from(paths.join('\n'), 'utf8').toString('base64')
  return `$nmgPaths = @([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('${encoded}')) -split [char]10)\n${FOLDER_ACL_PS}`
}

/**
 * Why an elevated nm-guard must not write into `dir` ('folder') or create a folder in it
 * ('above'), or null. A reading that cannot be had (PowerShell missing, blocked, timed out) is
 * `aclUnchecked`, never a pass: the caller decides what that means.
 */
export async function windowsFolderProblem(dir: string, role: 'above' | 'folder', exec: Exec): Promise<UnsafeReason | null> {
  const chain = folderChain(dir)
  let values: unknown[]
  try {
    values = await runPowerShell(exec, folderAclScript(chain), {maxBuffer: FOLDER_ACL_MAX_BUFFER, recordAs: 'folder-acl', timeoutMs: FOLDER_ACL_TIMEOUT_MS})
  } catch (error) {
    return {error: (error as Error).message, path: chain[0] as string, reason: 'aclUnchecked'}
  }
  return folderAclProblem(chain, parseFolderAcls(values), role)
}
