// Office files built in the test with fflate: the smallest .docx and .xlsx Word and Excel write
// (content types, the main part), with text laid out as they lay it out.
import {strToU8, zipSync} from 'fflate'

const escape = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

const CONTENT_TYPES = (main: string): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>${main}</Types>`

/** A Word document; each paragraph is a list of runs, as Word splits text at spelling and language changes. */
export function docx(paragraphs: string[][]): Buffer {
  const body = paragraphs
    .map((runs) => `<w:p><w:pPr><w:jc w:val="left"/></w:pPr>${runs.map((r) => `<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">${escape(r)}</w:t></w:r><w:proofErr w:type="spellEnd"/>`).join('')}</w:p>`)
    .join('')
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}<w:sectPr/></w:body></w:document>`
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(CONTENT_TYPES('<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>')),
      'word/document.xml': strToU8(document),
    }),
  )
}

/** A workbook: strings go to sharedStrings.xml (a string given as runs becomes rich text), numbers stay in the sheet. */
export function xlsx(rows: Array<Array<number | string | string[]>>): Buffer {
  const shared: string[] = []
  const sheetRows = rows
    .map((cells, r) => {
      const xml = cells
        .map((cell, c) => {
          const ref = `${String.fromCharCode(65 + c)}${r + 1}`
          if (typeof cell === 'number') return `<c r="${ref}"><v>${cell}</v></c>`
          const si = typeof cell === 'string' ? `<si><t>${escape(cell)}</t></si>` : `<si>${cell.map((run) => `<r><rPr><sz val="11"/></rPr><t>${escape(run)}</t></r>`).join('')}</si>`
          shared.push(si)
          return `<c r="${ref}" t="s"><v>${shared.length - 1}</v></c>`
        })
        .join('')
      return `<row r="${r + 1}">${xml}</row>`
    })
    .join('')
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(CONTENT_TYPES('<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>')),
      'xl/sharedStrings.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst ${ns} count="${shared.length}" uniqueCount="${shared.length}">${shared.join('')}</sst>`),
      'xl/workbook.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook ${ns}><sheets><sheet name="账号" sheetId="1"/></sheets></workbook>`),
      'xl/worksheets/sheet1.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet ${ns}><sheetData>${sheetRows}</sheetData></worksheet>`),
    }),
  )
}

/** A legacy binary document: the OLE signature, filler, and the text as Word 97 keeps it (UTF-16LE). */
export function legacyDoc(text: string, encoding: 'latin1' | 'utf16le' = 'utf16le'): Buffer {
  const header = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
  const filler = Buffer.alloc(2048, 0xff)
  return Buffer.concat([header, filler, Buffer.from(text, encoding), filler])
}
