// What one piece of evidence is, and the small helpers the per-platform definition files share.
// An item writes raw bytes (never decoded and re-encoded: the evidence is what the tool printed)
// to one or more files in the evidence folder; anything it cannot do is thrown and recorded.
import {open, readFile} from 'node:fs/promises'

import type {Exec, Platform} from '../../facts/types.js'
import {runPowerShell} from '../../os/powershell.js'

export interface EvidenceContext {
  platform: Platform
  exec: Exec
  /** This item's budget; commands get it as their own timeout too. */
  timeoutMs: number
  /** nm-guard's state dir (for the last audit report and the fact cache). */
  stateDir: string
  now: () => Date
  /** Writes `data` to `relative` (forward slashes) in the evidence folder, as is. */
  write: (relative: string, data: Buffer | string) => Promise<void>
}

export interface EvidenceItem {
  /** Stable id, recorded in manifest.items (e.g. `network.connections`). */
  name: string
  /** This item's own budget when the caller sets none for all items (default DEFAULT_ITEM_TIMEOUT_MS). */
  timeoutMs?: number
  run: (ctx: EvidenceContext) => Promise<void>
}

/** Why an item produced nothing: recorded in manifest.items[].error. */
export class EvidenceItemError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EvidenceItemError'
  }
}

const firstLine = (text: string): string => text.trim().split('\n')[0]?.trim().slice(0, 300) ?? ''

/**
 * An item that runs one program and keeps what it printed. A non-zero exit still keeps the output
 * (it may be partial evidence) but the item is recorded as failed with the program's complaint.
 */
export function commandItem(name: string, file: string, args: string[], out: string, options: {maxBuffer?: number; timeoutMs?: number} = {}): EvidenceItem {
  return {
    name,
    timeoutMs: options.timeoutMs,
    async run(ctx) {
      const result = await ctx.exec(file, args, {maxBuffer: options.maxBuffer, timeoutMs: ctx.timeoutMs})
      if (result.raw.length > 0) await ctx.write(out, result.raw)
      if (result.code !== 0) {
        const detail = firstLine(result.stderr) || firstLine(result.stdout)
        throw new EvidenceItemError(`${[file, ...args].join(' ')} exited ${result.code}${detail ? `: ${detail}` : ''}`)
      }
      if (result.raw.length === 0) await ctx.write(out, '')
    },
  }
}

/** Windows PowerShell through the one runner the facts use (script on stdin); its output kept as JSON. */
export function powershellItem(name: string, script: string, out: string, options: {timeoutMs?: number} = {}): EvidenceItem {
  return {
    name,
    timeoutMs: options.timeoutMs,
    async run(ctx) {
      const value = await runPowerShell(ctx.exec, script, {timeoutMs: ctx.timeoutMs})
      await ctx.write(out, `${JSON.stringify(value, null, 2)}\n`)
    },
  }
}

/** Copies a file as is (at most its last `tailBytes` when given); a missing file is a failed item. */
export function fileItem(name: string, source: string, out: string, options: {tailBytes?: number; missing?: string} = {}): EvidenceItem {
  return {
    name,
    async run(ctx) {
      let data: Buffer
      try {
        data = options.tailBytes === undefined ? await readFile(source) : await readTail(source, options.tailBytes)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'ENOENT') throw new EvidenceItemError(options.missing ?? `${source} does not exist`)
        throw new EvidenceItemError(`cannot read ${source}: ${(error as Error).message}`)
      }
      await ctx.write(out, data)
    },
  }
}

/** The last `bytes` of a file, cut at the first line break so no line is kept half. */
export async function readTail(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    const {size} = await handle.stat()
    const start = Math.max(0, size - bytes)
    const buffer = Buffer.alloc(size - start)
    const {bytesRead} = await handle.read(buffer, 0, buffer.length, start)
    const data = buffer.subarray(0, bytesRead)
    if (start === 0) return data
    const newline = data.indexOf(0x0a)
    return newline === -1 ? data : data.subarray(newline + 1)
  } finally {
    await handle.close()
  }
}
