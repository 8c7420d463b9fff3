// #11 2.1 on Windows: whether an elevated nm-guard may write into a folder, from the ACLs its one
// PowerShell run reads. This machine runs Linux, and PowerShell does not run under Wine (test/wine
// runs node.exe only), so the rules are tested on readings built by hand in the exact shape the
// script prints (test/helpers/folder-acls.ts), and the script itself by what reaches powershell.exe
// and by a real PowerShell grammar.
import {expect} from 'chai'

import {UserError} from '../../src/cli/user-error.js'
import {t} from '../../src/i18n/messages.js'
import {accountLabel, effectiveRights, folderAclProblem, folderChain, parseFolderAcls} from '../../src/os/folder-acl.js'
import {FOLDER_ACL_PS, folderAclScript, windowsFolderProblem} from '../../src/os/folder-acl.win32.js'
import {POWERSHELL_ARGS, wrapScript} from '../../src/os/powershell.js'
import {assertAdminOwnedDir} from '../../src/os/admin-dir.js'
import {unsafeDirReason} from '../../src/os/safe-dir.js'
import {psStdout} from '../facts/win32/ps-fixtures.js'
import {fakeExec, timeoutError} from '../helpers/fake-exec.js'
import {aclAnswer, allow, askedPaths, ATTR, belowLockedDown, deny, folder, type FolderJson, inheritedFromProgramData, lockedDown, RIGHTS, SID, stockDriveRoot, stockProgramData} from '../helpers/folder-acls.js'
import {grammarProblem, syntaxErrors} from '../helpers/powershell-grammar.js'
import {requirePart} from '../helpers/require-part.js'

const STATE = 'C:\\ProgramData\\nm-guard'
const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'

/** The verdict on `chain[0]` when each folder of its chain reads as `acls` gives it. */
function verdict(dir: string, acls: Record<string, FolderJson | {Error: string; Path: string}>, role: 'above' | 'folder' = 'folder') {
  const chain = folderChain(dir)
  return folderAclProblem(chain, parseFolderAcls(Object.values(acls)), role)
}

/** The stock chain above %ProgramData%\nm-guard, with the folder itself as given. */
const underProgramData = (self: FolderJson, extra: FolderJson[] = []) =>
  Object.fromEntries([self, ...extra, stockProgramData(), stockDriveRoot()].map((acl) => [acl.Path, acl]))

describe('folder ACLs: where an elevated nm-guard writes on Windows (#11 2.1)', () => {
  describe('the rules', () => {
    it('accepts the state folder exactly as lock-down makes it, under stock C:\\ProgramData and C:\\, and a folder made below it', () => {
      expect(lockedDown(STATE).Owner).to.equal(SID.administrators)
      expect(verdict(STATE, underProgramData(lockedDown(STATE)))).to.equal(null)
      const evidence = `${STATE}\\incident\\evidence`
      const chain = underProgramData(belowLockedDown(evidence), [belowLockedDown(`${STATE}\\incident`), lockedDown(STATE)])
      expect(verdict(evidence, chain)).to.equal(null)
    })

    it('lets users create folders in the folders above (stock C:\\ProgramData, C:\\) but not in the folder itself', () => {
      // The state folder's parent: only the rules for folders above apply (users may add, not swap).
      expect(verdict('C:\\ProgramData', underProgramData(stockProgramData()), 'above')).to.equal(null)
      // As the folder itself, users' (CI)(WD,AD,WEA,WA) would let them plant links in it.
      expect(verdict('C:\\ProgramData', underProgramData(stockProgramData()))).to.deep.equal({path: 'C:\\ProgramData', reason: 'aclWritable', rights: 'WD,AD,WEA,WA', sid: SID.users})
      // An administrator's new folder there inherits that right: refused until it is locked down.
      expect(verdict(STATE, underProgramData(inheritedFromProgramData(STATE)))).to.deep.equal({path: STATE, reason: 'aclWritable', rights: 'WD,AD,WEA,WA', sid: SID.users})
    })

    it('refuses a folder a user owns: one they made in C:\\ProgramData, one in their profile', () => {
      expect(verdict(STATE, underProgramData(inheritedFromProgramData(STATE, SID.user)))).to.deep.equal({path: STATE, reason: 'aclOwner', sid: SID.user})
      const profile = 'C:\\Users\\zhangsan'
      const acls = {
        [profile]: folder(profile, SID.system, [allow(SID.system, RIGHTS.fullControl), allow(SID.administrators, RIGHTS.fullControl), allow(SID.user, RIGHTS.fullControl)]),
        'C:\\Users': folder('C:\\Users', SID.system, [allow(SID.system, RIGHTS.fullControl), allow(SID.administrators, RIGHTS.fullControl), allow(SID.users, RIGHTS.readAndExecute)], 17),
        'C:\\': stockDriveRoot(),
      }
      // A locked-down folder inside the profile: its owner can still rename it away and put their own there.
      const inside = `${profile}\\evidence`
      expect(verdict(inside, {...acls, [inside]: lockedDown(inside)})).to.deep.equal({path: profile, reason: 'aclWritable', rights: 'DC,DE,WDAC,WO', sid: SID.user})
    })

    it('refuses Users:Modify on the folder, and on what is created in it (inherit-only)', () => {
      const modify = folder(STATE, SID.administrators, [...lockedDown(STATE).Rules, allow(SID.users, RIGHTS.modify)])
      expect(verdict(STATE, underProgramData(modify))).to.deep.equal({path: STATE, reason: 'aclWritable', rights: 'WD,AD,WEA,WA,DE', sid: SID.users})
      const below = folder(STATE, SID.administrators, [...lockedDown(STATE).Rules, allow(SID.users, RIGHTS.ioModify, {inheritOnly: true})])
      expect(verdict(STATE, underProgramData(below))).to.deep.equal({path: STATE, reason: 'aclWritable', rights: 'WD,AD,WEA,WA,DE', sid: SID.users})
    })

    it('refuses Everyone:FullControl on the folder, and on a folder above (they could swap the branch)', () => {
      const open = folder(STATE, SID.administrators, [...lockedDown(STATE).Rules, allow(SID.everyone, RIGHTS.fullControl)])
      expect(verdict(STATE, underProgramData(open))).to.deep.equal({path: STATE, reason: 'aclWritable', rights: 'WD,AD,WEA,DC,WA,DE,WDAC,WO', sid: SID.everyone})
      const share = 'D:\\共享'
      const evidence = `${share}\\取证`
      const acls = {
        [evidence]: lockedDown(evidence),
        [share]: folder(share, SID.administrators, [allow(SID.administrators, RIGHTS.fullControl), allow(SID.everyone, RIGHTS.fullControl)]),
        'D:\\': stockDriveRoot('D:\\'),
      }
      expect(verdict(evidence, acls)).to.deep.equal({path: share, reason: 'aclWritable', rights: 'DC,DE,WDAC,WO', sid: SID.everyone})
      // Deny entries only take rights away.
      const denied = folder(STATE, SID.administrators, [...lockedDown(STATE).Rules, deny(SID.everyone, RIGHTS.fullControl)])
      expect(verdict(STATE, underProgramData(denied))).to.equal(null)
    })

    it('refuses a junction in place of the folder, and one above it', () => {
      const junction = {...lockedDown(STATE), Attributes: ATTR.junction}
      expect(verdict(STATE, underProgramData(junction))).to.deep.equal({path: STATE, reason: 'link'})
      const evidence = `${STATE}\\evidence`
      expect(verdict(evidence, underProgramData(belowLockedDown(evidence), [junction]))).to.deep.equal({path: STATE, reason: 'link'})
      const file = {...lockedDown(STATE), Attributes: 32}
      expect(verdict(STATE, underProgramData(file))).to.deep.equal({path: STATE, reason: 'notFolder'})
    })

    it('accepts CREATOR OWNER on an inherit-only entry (what nm-guard creates is its own), not on one that applies to the folder', () => {
      const creator = folder(STATE, SID.administrators, [...lockedDown(STATE).Rules, allow(SID.creatorOwner, RIGHTS.genericAll, {inheritOnly: true})])
      expect(verdict(STATE, underProgramData(creator))).to.equal(null)
      const applied = folder(STATE, SID.administrators, [...lockedDown(STATE).Rules, allow(SID.creatorOwner, RIGHTS.genericAll)])
      expect(verdict(STATE, underProgramData(applied))).to.deep.include({reason: 'aclWritable', sid: SID.creatorOwner})
    })

    it('ignores Delete on a drive root (it cannot be renamed) but not on a folder above', () => {
      // A new NTFS volume: Authenticated Users may modify D:\ itself; a locked-down folder in it is safe.
      const volume = folder('D:\\', SID.administrators, [allow(SID.administrators, RIGHTS.fullControl), allow(SID.system, RIGHTS.fullControl), allow(SID.authenticatedUsers, RIGHTS.modify)], ATTR.root)
      expect(verdict('D:\\nm-guard', {'D:\\': volume, 'D:\\nm-guard': lockedDown('D:\\nm-guard')})).to.equal(null)
      const above = folder('D:\\data', SID.administrators, [allow(SID.administrators, RIGHTS.fullControl), allow(SID.authenticatedUsers, RIGHTS.modify)])
      expect(verdict('D:\\data\\nm-guard', {'D:\\': volume, 'D:\\data': above, 'D:\\data\\nm-guard': lockedDown('D:\\data\\nm-guard')})).to.deep.equal({
        path: 'D:\\data',
        reason: 'aclWritable',
        rights: 'DE',
        sid: SID.authenticatedUsers,
      })
    })

    it('never passes what it could not read: an error, a folder left out, a truncated or malformed reading, no owner', () => {
      expect(verdict(STATE, {...underProgramData(lockedDown(STATE)), [STATE]: {Error: '拒绝访问。', Path: STATE}})).to.deep.equal({error: '拒绝访问。', path: STATE, reason: 'aclUnreadable'})
      const {'C:\\': _root, ...withoutRoot} = underProgramData(lockedDown(STATE))
      expect(verdict(STATE, withoutRoot)).to.deep.equal({error: 'no ACL reading', path: 'C:\\', reason: 'aclUnchecked'})
      expect(verdict(STATE, underProgramData({...lockedDown(STATE), RuleCount: 300}))).to.deep.include({path: STATE, reason: 'aclUnreadable'})
      expect(verdict(STATE, underProgramData({...lockedDown(STATE), Rules: [{Sid: SID.users}] as never}))).to.deep.equal({error: 'unexpected ACL reading', path: STATE, reason: 'aclUnreadable'})
      expect(verdict(STATE, underProgramData({...lockedDown(STATE), Owner: null}))).to.deep.equal({path: STATE, reason: 'aclOwner', sid: '?'})
    })

    it('reads rights as PowerShell prints them: negative [int], generic bits, one rule not in an array', () => {
      expect(effectiveRights(RIGHTS.ioModify) & 0x10000).to.equal(0x10000)
      expect(effectiveRights(RIGHTS.genericAll) & 0x40).to.equal(0x40)
      const [one] = parseFolderAcls([{...folder(STATE, SID.administrators, []), RuleCount: 1, Rules: allow(SID.users, RIGHTS.ioModify)}])
      expect(one).to.deep.include({path: STATE, ruleCount: 1})
      expect(one && 'rules' in one ? one.rules[0]?.rights : null).to.equal(0xe0010000)
    })

    it('walks from the folder up to its drive root', () => {
      expect(folderChain('C:\\ProgramData\\nm-guard\\')).to.deep.equal(['C:\\ProgramData\\nm-guard', 'C:\\ProgramData', 'C:\\'])
      expect(folderChain('\\\\fs01\\share\\证据')).to.deep.equal(['\\\\fs01\\share\\证据', '\\\\fs01\\share\\'])
    })

    it('says which folder, which account and what to do, in plain Chinese', () => {
      const detail = t('zh-CN', 'os.unsafeFolder.aclWritable', {account: accountLabel(SID.users), path: STATE, rights: 'WD,AD'})
      expect(detail).to.equal('账户 Users (S-1-5-32-545) 可以改动文件夹 C:\\ProgramData\\nm-guard（权限 WD,AD，可用 icacls 查看），能在里面放入链接或把文件夹换掉')
      expect(accountLabel(SID.user)).to.equal(SID.user)
    })
  })

  describe('the reader', () => {
    const chain = folderChain(STATE)
    const answer = psStdout(...[lockedDown(STATE), stockProgramData(), stockDriveRoot()])

    it('runs one powershell.exe by absolute path, the script on stdin, the folders as base64 (no path is PowerShell text)', async () => {
      const exec = fakeExec({powershell: {stdout: answer}})
      expect(await windowsFolderProblem(STATE, 'folder', exec)).to.equal(null)
      expect(exec.calls).to.deep.equal([[POWERSHELL, ...POWERSHELL_ARGS]])
      const sent = String(exec.inputs[0])
      expect(sent).to.equal(wrapScript(folderAclScript(chain)))
      expect(askedPaths(sent)).to.deep.equal(chain)
      // A quote of any kind PowerShell knows (' ‘ ’) in a name never reaches the script as text.
      const odd = "C:\\Users\\o'brien‘’\\证据"
      expect(folderAclScript(folderChain(odd))).not.to.contain('brien')
      expect(askedPaths(folderAclScript(folderChain(odd)))).to.deep.equal(folderChain(odd))
    })

    it('reads SIDs, never names: the owner and each rule by SecurityIdentifier, rights and flags as numbers, the attributes', () => {
      expect(FOLDER_ACL_PS).to.contain('Get-Acl -LiteralPath $nmgPath')
      expect(FOLDER_ACL_PS).to.contain('$nmgAcl.GetOwner($nmgSid).Value')
      expect(FOLDER_ACL_PS).to.contain('$nmgAcl.GetAccessRules($true, $true, $nmgSid)')
      expect(FOLDER_ACL_PS).to.contain('[int]$nmgItem.Attributes')
      expect(FOLDER_ACL_PS).not.to.match(/NTAccount|\.Owner\b|Translate/)
    })

    it('is valid PowerShell, alone and as the runner sends it', async function () {
      const problem = await grammarProblem()
      requirePart(this, problem === null, `the PowerShell grammar (npm: web-tree-sitter, tree-sitter-powershell): ${problem}`)
      expect(await syntaxErrors(FOLDER_ACL_PS)).to.deep.equal([])
      expect(await syntaxErrors(wrapScript(folderAclScript(folderChain("C:\\Users\\o'brien\\证据"))))).to.deep.equal([])
    })

    it('a reading that cannot be had is aclUnchecked, never a pass: PowerShell missing, timing out, printing nothing', async () => {
      expect(await windowsFolderProblem(STATE, 'folder', fakeExec({}))).to.deep.include({path: STATE, reason: 'aclUnchecked'})
      expect(await windowsFolderProblem(STATE, 'folder', fakeExec({powershell: timeoutError('powershell')}))).to.deep.include({path: STATE, reason: 'aclUnchecked'})
      expect(await windowsFolderProblem(STATE, 'folder', fakeExec({powershell: {stdout: psStdout()}}))).to.deep.include({reason: 'aclUnchecked'})
    })

    it('assertAdminOwnedDir: once per run (per exec) per folder, a UserError naming the folder, nothing on POSIX', async () => {
      const exec = fakeExec({powershell: {stdout: aclAnswer(folderAclScript(chain), (path) => (path === STATE ? inheritedFromProgramData(STATE) : underProgramData(lockedDown(STATE))[path])) as string}})
      const first = await assertAdminOwnedDir(STATE, {exec, platform: 'win32'}).catch((error: unknown) => error)
      const second = await assertAdminOwnedDir(STATE, {exec, platform: 'win32'}).catch((error: unknown) => error)
      expect(exec.calls).to.have.length(1)
      for (const error of [first, second]) {
        expect(error).to.be.instanceOf(UserError)
        expect((error as UserError).key).to.equal('os.unsafeFolderAdmin')
        expect((error as UserError).detail).to.deep.equal({key: 'os.unsafeFolder.aclWritable', params: {account: 'Users (S-1-5-32-545)', path: STATE, rights: 'WD,AD,WEA,WA'}})
      }
      const another = fakeExec({powershell: {stdout: answer}})
      await assertAdminOwnedDir(STATE, {exec: another, platform: 'win32'})
      expect(another.calls).to.have.length(1)
      const posix = fakeExec({})
      await assertAdminOwnedDir('/var/lib/nm-guard', {exec: posix, platform: 'linux'})
      expect(posix.calls).to.deep.equal([])
      // The synchronous POSIX check still passes Windows by: its ACLs are read asynchronously.
      expect(unsafeDirReason(STATE, 'win32')).to.equal(null)
    })
  })
})
