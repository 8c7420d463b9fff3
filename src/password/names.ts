// People's names in pinyin: a surname and a given name typed whole (zhang + xiuying) or as one or
// two given-name syllables (zhang + wei, liu + yang). Ranks come from the dictionary pack; a
// syllable no listed given name uses still counts, ranked after those that do.
export interface NameSpan {
  /** Exclusive end index. */
  end: number
  cost: number
  /** Where the given name starts (a capital there is expected: ZhangWei). */
  givenAt: number
}

const rankMap = (words: readonly string[]): Map<string, number> => new Map(words.map((w, i) => [w, i + 1]))

export class Names {
  private readonly surnames: Map<string, number>
  private readonly givenNames: Map<string, number>
  private readonly syllables: Map<string, number>
  private readonly surnameMax: number
  private readonly givenMax: number

  constructor(surnames: readonly string[], givenNames: readonly string[], givenSyllables: readonly string[], allSyllables: readonly string[] = []) {
    this.surnames = rankMap(surnames)
    this.givenNames = rankMap(givenNames)
    this.syllables = rankMap([...givenSyllables, ...allSyllables.filter((s) => !givenSyllables.includes(s))])
    this.surnameMax = Math.max(0, ...surnames.map((s) => s.length))
    this.givenMax = Math.max(0, ...givenNames.map((s) => s.length))
  }

  /** Every surname + given name that starts at `i` of the lower-cased password. */
  namesFrom(lower: string, i: number): NameSpan[] {
    const out: NameSpan[] = []
    for (let k = 1; k <= this.surnameMax && i + k < lower.length; k++) {
      const surnameRank = this.surnames.get(lower.slice(i, i + k))
      if (surnameRank === undefined) continue
      const g = i + k
      for (let m = 2; m <= this.givenMax && g + m <= lower.length; m++) {
        const rank = this.givenNames.get(lower.slice(g, g + m))
        if (rank !== undefined) out.push({cost: surnameRank * rank, end: g + m, givenAt: g})
      }
      for (let a = 1; a <= 6 && g + a <= lower.length; a++) {
        const first = this.syllables.get(lower.slice(g, g + a))
        if (first === undefined) continue
        out.push({cost: surnameRank * first, end: g + a, givenAt: g})
        for (let b = 1; b <= 6 && g + a + b <= lower.length; b++) {
          const second = this.syllables.get(lower.slice(g + a, g + a + b))
          if (second !== undefined) out.push({cost: surnameRank * first * second, end: g + a + b, givenAt: g})
        }
      }
    }
    return out
  }
}
