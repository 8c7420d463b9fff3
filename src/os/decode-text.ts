// Windows tools print UTF-16LE, UTF-8 with a BOM, or the ANSI code page (GBK on Chinese systems).
// Sniff which, so Chinese names survive whatever the console was set to.

const utf8 = new TextDecoder('utf-8', {fatal: true})

export function decodeText(raw: Buffer | Uint8Array): string {
  const bytes = raw instanceof Buffer ? raw : Buffer.from(raw)
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8')
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le')
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2))
  if (looksUtf16le(bytes)) return bytes.toString('utf16le')
  try {
    return utf8.decode(bytes)
  } catch {
    // Not UTF-8: the Chinese ANSI code page is GBK, a subset of GB18030.
    return new TextDecoder('gb18030').decode(bytes)
  }
}

/** UTF-16LE without a BOM: ASCII text has a zero in every odd byte. */
function looksUtf16le(bytes: Buffer): boolean {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return false
  const sample = Math.min(bytes.length, 256)
  let zeros = 0
  for (let i = 1; i < sample; i += 2) if (bytes[i] === 0) zeros++
  return zeros / (sample / 2) > 0.6
}
