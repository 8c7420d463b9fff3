// The HTML report as a district prints it: rendered to an A4 PDF by Debian's Chromium and read
// back with poppler (pdfinfo, pdftotext). Page count with ten failing checks, the conclusion on
// page 1, the running header and page numbers, signatures never alone on a page, and English
// words kept whole in the narrow columns.
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'
import {type Browser, chromium, type Page} from 'playwright-core'

import type {Lang} from '../../src/i18n/lang.js'
import {renderHtml} from '../../src/report/render-html.js'
import {hasCommand, requirePart} from '../helpers/require-part.js'
import {sampleReport} from './sample-report.js'

/** Measured for the ten failures: 5 pages in Chinese, 6 in English; one spare for wording changes. */
const MAX_PAGES_TEN_FAILING: Record<Lang, number> = {en: 7, 'zh-CN': 6}
/** A4 less the report's 15 mm side margins, in CSS pixels: the width Chromium lays the print out in. */
const PRINT_WIDTH_PX = Math.floor(((210 - 30) / 25.4) * 96)

/**
 * Runs in the page: the words (letters between spaces, hyphens and slashes, which are break
 * opportunities of their own) whose glyphs sit on more than one line, i.e. were split. Tokens over
 * 24 characters (a path, a digest) may have to break: no column holds them.
 */
const BROKEN_WORDS = `(() => {
  const found = []
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of (node.textContent || '').matchAll(/[^\\s\\-/]+/g)) {
      if (m[0].length > 24 || !/[a-z]/i.test(m[0])) continue
      const range = document.createRange()
      range.setStart(node, m.index)
      range.setEnd(node, m.index + m[0].length)
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)))
      if (tops.size > 1) found.push(m[0])
    }
  }
  return found
})()`

const squash = (text: string): string => text.replaceAll(/\s+/g, '')

describe('printed audit report (HTML → PDF in Chromium)', function () {
  this.timeout(120_000)
  let browser: Browser
  let page: Page
  let dir: string

  before(async function () {
    requirePart(this, existsSync('/usr/bin/chromium'), 'chromium (package chromium)')
    requirePart(this, hasCommand('pdftotext') && hasCommand('pdfinfo'), 'pdftotext and pdfinfo (package poppler-utils)')
    dir = mkdtempSync(join(tmpdir(), 'nmg-print-'))
    browser = await chromium.launch({args: ['--no-sandbox', '--disable-gpu'], executablePath: '/usr/bin/chromium'})
    page = await browser.newPage()
  })

  after(async () => {
    await browser?.close()
    if (dir) rmSync(dir, {force: true, recursive: true})
  })

  /** The report printed on A4, or on paper as wide and `heightMm` high: its file and page count. */
  async function print(html: string, name: string, heightMm?: number): Promise<{file: string; count: number}> {
    await page.setContent(html, {waitUntil: 'load'})
    const file = join(dir, `${name}.pdf`)
    const paper = heightMm ? {height: `${heightMm}mm`, width: '210mm'} : {format: 'A4'}
    writeFileSync(file, await page.pdf({...paper, printBackground: true}))
    return {count: Number(/^Pages:\s+(\d+)$/m.exec(execFileSync('/usr/bin/pdfinfo', [file], {encoding: 'utf8'}))?.[1]), file}
  }

  const pageText = (file: string, n: number): string => execFileSync('/usr/bin/pdftotext', ['-f', String(n), '-l', String(n), file, '-'], {encoding: 'utf8'})

  const expected = {
    en: {conclusion: 'Conclusion:Notcompliant', header: 'gc-xmt-01·2026-11-27', page: (n: number, of: number) => `Page${n}of${of}`, sign: 'Responsibleleader(signature)'},
    'zh-CN': {conclusion: '结论：不合格', header: 'gc-xmt-01·2026-11-27', page: (n: number, of: number) => `第${n}页/共${of}页`, sign: '主管领导（签字）'},
  } as const

  for (const lang of ['zh-CN', 'en'] as Lang[]) {
    const want = expected[lang]

    it(`${lang}: ten failing checks fit in ${MAX_PAGES_TEN_FAILING[lang]} A4 pages, the conclusion on page 1, every page headed and numbered`, async () => {
      const report = await sampleReport()
      expect(report.summary.fail).to.equal(10)
      const {count, file} = await print(renderHtml(report, lang), `ten-${lang}`)
      const pages = Array.from({length: count}, (_, i) => pageText(file, i + 1))
      expect(pages.length).to.be.within(2, MAX_PAGES_TEN_FAILING[lang])
      expect(squash(pages[0] ?? '')).to.include(want.conclusion)
      for (const [i, text] of pages.entries()) {
        expect(squash(text), `page ${i + 1}`).to.include(want.header).and.include(want.page(i + 1, pages.length))
        expect(text, `page ${i + 1}`).not.to.include('`')
      }
    })

    it(`${lang}: the signature lines are printed with the conclusion above them, never alone, wherever the page breaks`, async () => {
      const html = renderHtml(await sampleReport(), lang)
      // Paper of 25 heights moves every page break; without the kept-together block some of them
      // (measured: 261 mm in Chinese, 249 mm in English) left the signatures alone on the last page.
      for (let heightMm = 297; heightMm > 200; heightMm -= 4) {
        const {count, file} = await print(html, `sign-${lang}-${heightMm}`, heightMm)
        const last = squash(pageText(file, count))
        expect(last, `${heightMm} mm`).to.include(want.sign)
        expect(last, `${heightMm} mm`).to.match(lang === 'en' ? /Conclusion:Notcompliant\(/ : /结论：不合格（/)
      }
    })
  }

  it('en: no word is broken across lines in the narrow columns of the printed layout', async () => {
    const report = await sampleReport()
    await page.setViewportSize({height: 1000, width: PRINT_WIDTH_PX})
    await page.emulateMedia({media: 'print'})
    await page.setContent(renderHtml(report, 'en'), {waitUntil: 'load'})
    const broken = (await page.evaluate(BROKEN_WORDS)) as string[]
    expect(broken).to.deep.equal([])
  })
})
