// Every value in the draft comes from the PC (host name, reason, account names, log-derived text),
// so every one is escaped for where it lands: HTML text/attributes, or Markdown.

/** HTML text and quoted attributes: the same escape-html the audit report and dashboard use. */
export {default as escapeHtml} from 'escape-html'

/**
 * Markdown inline text: `<`, `>` and `&` become entities (no raw HTML can form), characters that
 * start emphasis, links, code or table cells are backslash-escaped, and line breaks are flattened
 * (a table row is one line).
 */
export const escapeMarkdown = (value: string): string =>
  value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll(/[\\`*_[\]|#~]/g, '\\$&')
    .replaceAll(/\r?\n|\r/g, ' ')
