// Maps a path inside a parsed YAML document back to file:line:column, so every problem in a
// policy points at the line to fix.
import {type Document, isMap, isScalar, isSeq, type LineCounter, type Node} from 'yaml'

export type PathSegment = number | string

export interface Position {
  line: number
  column: number
}

/** Position of the value at `path`; with `key`, of that key inside the map at `path`. Falls back to the nearest ancestor. */
export function locate(doc: Document, lines: LineCounter, path: readonly PathSegment[], key?: string): Position {
  let node: Node | null | undefined = doc.contents as Node | null
  let best: Node | null | undefined = node
  const segments = key === undefined ? path : [...path, key]
  segments.forEach((segment, i) => {
    if (!node) return
    const wantKey = key !== undefined && i === segments.length - 1
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment))
      node = (wantKey ? pair?.key : pair?.value) as Node | null | undefined
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment] as Node | undefined
    } else {
      node = undefined
    }
    if (node) best = node
  })
  const offset = best?.range?.[0] ?? 0
  const {line, col} = lines.linePos(offset)
  return {column: col, line}
}

/** "/checks/3/rules/0" (ajv's instancePath) → ['checks', 3, 'rules', 0]. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}
