// A real PowerShell grammar for the tests: tree-sitter-powershell's WebAssembly build, run by
// web-tree-sitter (no native addon to compile). Loaded once per test run.
import {createRequire} from 'node:module'

import {Language, type Node, Parser} from 'web-tree-sitter'

export interface SyntaxError {
  /** 1-based, as an editor shows it. */
  line: number
  column: number
  /** The text the grammar could not place, or what it expected and did not find. */
  text: string
}

let loading: Promise<Parser> | undefined

/** The PowerShell parser; rejects when the grammar's wasm is missing or its ABI does not match web-tree-sitter's. */
export function powershellParser(): Promise<Parser> {
  loading ??= (async () => {
    const wasm = createRequire(import.meta.url).resolve('tree-sitter-powershell/tree-sitter-powershell.wasm')
    await Parser.init()
    const parser = new Parser()
    parser.setLanguage(await Language.load(wasm))
    return parser
  })()
  return loading
}

/** Whether the grammar loads here, and why not (for requirePart). */
export async function grammarProblem(): Promise<string | null> {
  try {
    await powershellParser()
    return null
  } catch (error) {
    return (error as Error).message
  }
}

/** Every place the grammar rejects: ERROR nodes (text it could not place) and MISSING nodes (a token it had to invent). */
export async function syntaxErrors(script: string): Promise<SyntaxError[]> {
  const parser = await powershellParser()
  const tree = parser.parse(script)
  if (!tree) throw new Error('tree-sitter returned no tree')
  const errors: SyntaxError[] = []
  const at = (node: Node, text: string): void => {
    errors.push({column: node.startPosition.column + 1, line: node.startPosition.row + 1, text: text.trimStart().split('\n')[0]!.slice(0, 120)})
  }
  const visit = (node: Node): void => {
    if (node.isMissing) {
      at(node, `missing ${node.type}`)
      return
    }
    const before = errors.length
    // Only subtrees that contain an error are worth walking.
    for (const child of node.children) if (child.hasError || child.isMissing) visit(child)
    if (node.isError && errors.length === before) {
      // An ERROR node starts with what the grammar could still parse; the first bare token is what it could not place.
      const token = node.children.find((child) => child.childCount === 0) ?? node
      at(token, node.text.slice(token.startIndex - node.startIndex))
    }
  }
  try {
    visit(tree.rootNode)
  } finally {
    tree.delete()
  }
  return errors
}
