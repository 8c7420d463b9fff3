// Place names as people type them: 河北省 → hebei, hb, hebeisheng, hbs; 藁城区 → gaocheng, gc,
// gaochengqu, gcq; 延边朝鲜族自治州 → yanbian, yb, yanbianzhou, ybz.
import {romanise, unique} from './romanise.js'

// The 55 minority nationalities' names, to cut 延边朝鲜族自治州 down to 延边 (people type the place, not the status).
const ETHNIC =
  '蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺'
const AUTONOMOUS = new RegExp(`^(.{2,}?)(?:(?:${ETHNIC})族?)+自治(区|州|县|旗)$`)
const SUFFIX = /(特别行政区|自治区|自治州|自治县|自治旗|地区|林区|特区|新区|省|市|区|县|盟|旗)$/
const PLACEHOLDER = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$|管委会|委员会|群岛|新城$/

/** 河北省 → {base: 河北, suffix: 省}; 延边朝鲜族自治州 → {base: 延边, suffix: 州}. */
export function placeParts(name: string): {base: string; suffix: string} | null {
  if (PLACEHOLDER.test(name)) return null
  const autonomous = AUTONOMOUS.exec(name)
  if (autonomous) return {base: autonomous[1] as string, suffix: autonomous[2] as string}
  const m = SUFFIX.exec(name)
  if (!m || m.index < 2) return {base: name, suffix: ''}
  const suffix = m[1] as string
  return {base: name.slice(0, m.index), suffix: suffix.length > 1 ? (suffix.at(-1) as string) : suffix}
}

/** Full pinyin and initials, bare and with the one-character suffix people keep (gaocheng, gaochengqu, gc, gcq). */
export function placeWords(names: string[]): {full: string[]; initials: string[]} {
  const full: string[] = []
  const withSuffix: string[] = []
  const initials: string[] = []
  const initialsSuffix: string[] = []
  for (const name of names) {
    const parts = placeParts(name)
    if (!parts) continue
    const bare = romanise(parts.base)
    full.push(...bare.full)
    initials.push(bare.initials)
    // The one-character suffix people keep (gaochengqu), and a longer one typed whole (pudongxinqu).
    const kept = parts.suffix ? [parts.base + parts.suffix] : []
    if (name !== parts.base + parts.suffix && !name.includes('自治')) kept.push(name)
    for (const text of kept) {
      const suffixed = romanise(text)
      withSuffix.push(...suffixed.full)
      initialsSuffix.push(suffixed.initials)
    }
  }
  return {full: unique([...full, ...withSuffix]), initials: unique([...initials, ...initialsSuffix]).filter((s) => s.length >= 2)}
}
