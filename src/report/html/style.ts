// The report's CSS. Printed (on the printer's paper; A4 in the tests): a running header (unit, host, date) and "page N of M" in the
// page margins (CSS margin boxes, printed by Chromium 131+), table rows and the signature block
// never split. English keeps words whole in narrow columns; Chinese may break between any characters.
import type {HtmlContext} from './context.js'

/** A CSS string literal: everything but plain letters, digits and spaces as an escape, so no value can end the string or the <style>. */
export function cssString(value: string): string {
  return `"${value.replaceAll(/[^\p{L}\p{N} .,:()-]/gu, (c) => `\\${(c.codePointAt(0) ?? 0).toString(16)} `)}"`
}

/** The page-number template with its {page}/{pages} holes as CSS counters. */
function pageCounter(template: string): string {
  return template
    .split(/(\{pages?\})/)
    .filter((part) => part !== '')
    .map((part) => (part === '{page}' ? 'counter(page)' : part === '{pages}' ? 'counter(pages)' : cssString(part)))
    .join(' ')
}

export function reportStyle(ctx: HtmlContext, runningHeader: string): string {
  return `
@page{margin:18mm 15mm 16mm;@top-center{content:${cssString(runningHeader)};font-size:8pt;color:#555}@bottom-center{content:${pageCounter(ctx.tr('html.pageOf'))};font-size:8pt;color:#555}}
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em auto;max-width:60em;color:#222;line-height:1.5}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.1em;border-bottom:1px solid #999;margin-top:1.6em}
table.meta td{padding:.1em 1em .1em 0;vertical-align:top}table.meta td:first-child{white-space:nowrap}.blank{display:inline-block;min-width:14em;border-bottom:1px solid #222}
table.results{border-collapse:collapse;width:100%;table-layout:fixed}
col.status{width:5.5em}col.severity{width:4em}col.check{width:26%}col.remediation{width:24%}
:lang(en) col.status{width:5em}:lang(en) col.severity{width:6em}
table.results th,table.results td{border:1px solid #bbb;padding:.35em .5em;vertical-align:top;text-align:left;overflow-wrap:anywhere}
:lang(en) table.results td,:lang(en) table.results th{overflow-wrap:break-word;word-break:normal;hyphens:manual}
.status{font-weight:bold;white-space:nowrap}.pass{color:#16702e}.fail{color:#b3141b}.error{color:#8a5a00}
.evidence{font-size:.9em;color:#444}.id{font-family:monospace;font-size:.85em;color:#666}
code{font-family:monospace;font-size:.9em;background:#f2f2f2;padding:0 .2em}
.conclusion{font-size:1.1em;margin:1em 0;padding:.6em;border:2px solid #444}.verdict{font-size:1.4em;font-weight:bold}
.conclusion.non_compliant .verdict{color:#b3141b}.conclusion.compliant .verdict{color:#16702e}.conclusion.undetermined .verdict{color:#8a5a00}
.scope p{margin:.4em 0}.scope p:has(+ul){break-after:avoid}.scope ul{margin:.2em 0 .6em;padding-left:1.5em}.scope li{margin:.1em 0}
.closing{break-inside:avoid;margin-top:2em}.signoff{margin-top:3em;display:flex;gap:4em}.signoff div{flex:1;border-top:1px solid #222;padding-top:.3em}
@media print{body{margin:0;max-width:none;font-size:10.5pt}table.results{font-size:9.5pt}h2{break-after:avoid}tr{break-inside:avoid}}
`
}
