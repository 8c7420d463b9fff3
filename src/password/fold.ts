// Lower case that keeps every character at its index. String.prototype.toLowerCase is not
// length-preserving: 'İ' (U+0130) becomes 'i̇' (two code units), and matchers that read a span of the
// lower-cased text and report it at the same indices of the password then point past its end —
// zxcvbn-ts's scoring crashed on `Abc#İ123` that way. A character whose lower case has another
// length is kept as it is.
/** Any code unit outside ASCII (a surrogate too). */
export const NON_ASCII = /[\u0080-\uffff]/

export function foldCase(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase()
  let out = ''
  for (const c of text) {
    const lower = c.toLowerCase()
    out += lower.length === c.length ? lower : c
  }
  return out
}
