// Does a file's name say it holds passwords? The words live here, in the collector, because the
// table states a fact ("this name looks like a password file"): the collector can only report what
// it looked for, and listing every file of the user's folders for the policy to filter would make
// the table huge. What a district may want to excuse (official documents about passwords, say)
// is a policy variable instead: password_file_name_exceptions in policies/gaocheng-2023.yaml.

/** Chinese words, found anywhere in the name (simplified and traditional). */
const CJK_KEYWORDS = ['密码', '密碼', '口令', '账号', '帐号', '帳號', '賬號', '账户', '帐户', '賬戶', '帳戶', '账密', '登录信息', '登陆信息']

/**
 * 密码 also means cryptography: the 密码法 (Cryptography Law), 商用密码 (commercial cryptography)
 * and 密码应用安全性评估 (密评) papers on a government PC are not password files. These phrases are removed before the
 * words above are looked for, so "密码法与账号密码.docx" still matches on its second 密码.
 */
const CJK_NOT_PASSWORD = ['商用密码', '密码法', '密码学', '密码应用', '密码技术', '密码产品', '密码模块', '密码算法', '密码设备', '密码机', '密码卡', '密码管理局']

/** English words found anywhere, even inside other words ("weiboPasswords", "mypasswd"). */
const LATIN_ANYWHERE = ['password', 'passwd']

/**
 * Abbreviations and pinyin, matched as a whole word or at the end of one, where concatenated
 * pinyin puts them ("weibomima", "dyzhanghao"): "pwd" but not "pwdump", "mima" but not "mimaki".
 * "pass" and "account" are left out: boarding passes, passports and bank accounts are not.
 */
const LATIN_WORD_END = ['pwd', 'psw', 'pswd', 'mima', 'mimaben', 'zhanghao', 'zhanghu', 'zhmm', 'kouling', 'credential', 'credentials']

/** Installers and programs ("1Password-Setup.exe", "KeePass.msi") are not files of passwords. */
const PROGRAM_EXTENSIONS = new Set(['apk', 'app', 'appimage', 'appx', 'deb', 'dll', 'dmg', 'exe', 'iso', 'jar', 'msi', 'msix', 'pkg', 'rpm', 'so', 'sys'])

/**
 * The words of "PwdWeibo_MiMa2024": split at punctuation and digits, and once more at camelCase
 * ("pwd", "weibo"), since capitalised pinyin syllables ("MiMa") must stay whole too.
 */
function words(base: string): string[] {
  const plain = base.replaceAll(/([a-zA-Z])(\d)|(\d)([a-zA-Z])/g, '$1$3 $2$4')
  const camel = plain.replaceAll(/([a-z])([A-Z])/g, '$1 $2')
  return [...new Set([plain, camel].flatMap((s) => s.toLowerCase().split(/[^a-z\d]+/)))].filter(Boolean)
}

/**
 * The password word a file name contains ("密码", "pwd", "mima"…), or null. Full-width letters
 * are folded first (ｐａｓｓｗｏｒｄ); case does not matter.
 */
export function passwordNameKeyword(fileName: string): null | string {
  const name = fileName.normalize('NFKC')
  const dot = name.lastIndexOf('.')
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
  if (PROGRAM_EXTENSIONS.has(extension)) return null
  const base = dot > 0 ? name.slice(0, dot) : name

  let cjk = base
  for (const phrase of CJK_NOT_PASSWORD) cjk = cjk.replaceAll(phrase, '\u0000')
  for (const keyword of CJK_KEYWORDS) if (cjk.includes(keyword)) return keyword

  const lower = base.toLowerCase()
  for (const keyword of LATIN_ANYWHERE) if (lower.includes(keyword)) return keyword
  for (const word of words(base)) {
    const hit = LATIN_WORD_END.find((k) => word.endsWith(k))
    if (hit) return hit
  }
  return null
}
