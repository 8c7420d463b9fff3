// A reader for the values of one key in an offline registry hive file (regf: NTUSER.DAT), for the
// known folders of users who are logged off. Loading their hive (`reg load`) would lock the file a
// user needs to log on with (a logon meanwhile gets a temporary profile), a handle left open keeps
// it loaded until a reboot, and it costs two reg.exe runs per profile; reading the file costs none
// of that. Layout: the public regf format (libyal's "Windows NT Registry File (REGF) format").
// Every offset and count read from the file is checked against the buffer: the file belongs to a
// user and may have been crafted.

const BASE_BLOCK = 4096
const KEY_COMP_NAME = 0x20
const VALUE_COMP_NAME = 0x0001
const INLINE_DATA = 0x8000_0000
/** Subkey list entries followed, all lists together: far more than one key has, far fewer than a loop makes. */
const MAX_LIST_ENTRIES = 100_000

export const REG_SZ = 1
export const REG_EXPAND_SZ = 2

export interface HiveValue {
  type: number
  /** The string of a REG_SZ or REG_EXPAND_SZ value (unexpanded); null for other types. */
  text: null | string
}

export class HiveError extends Error {}

/** The values of the key at `path` (backslash-separated, below the hive's root), by name; null when the key is not there. */
export function readHiveKey(hive: Buffer, path: string): Map<string, HiveValue> | null {
  if (hive.length < BASE_BLOCK + 32 || hive.toString('latin1', 0, 4) !== 'regf') throw new HiveError('not a registry hive (no regf signature)')
  let key = keyAt(hive, hive.readUInt32LE(0x24))
  for (const name of path.split('\\').filter(Boolean)) {
    const next = subkey(hive, key, name)
    if (next === null) return null
    key = next
  }
  return values(hive, key)
}

/** The data of the cell at a hive offset (relative to the first hbin). */
function cell(hive: Buffer, offset: number): Buffer {
  const at = BASE_BLOCK + offset
  if (offset === 0xffff_ffff || at + 4 > hive.length) throw new HiveError(`cell offset ${offset} outside the file`)
  const size = Math.abs(hive.readInt32LE(at))
  if (size < 8 || at + size > hive.length) throw new HiveError(`cell at ${offset} has a bad size`)
  return hive.subarray(at + 4, at + size)
}

function keyAt(hive: Buffer, offset: number): Buffer {
  const nk = cell(hive, offset)
  if (nk.length < 76 || nk.toString('latin1', 0, 2) !== 'nk') throw new HiveError(`no key at ${offset}`)
  return nk
}

function name(data: Buffer, at: number, length: number, compressed: boolean): string {
  if (at + length > data.length) throw new HiveError('name outside its cell')
  return compressed ? data.toString('latin1', at, at + length) : data.toString('utf16le', at, at + length)
}

const keyName = (nk: Buffer): string => name(nk, 76, nk.readUInt16LE(72), (nk.readUInt16LE(2) & KEY_COMP_NAME) !== 0)

function subkey(hive: Buffer, nk: Buffer, wanted: string): Buffer | null {
  if (nk.readUInt32LE(20) === 0) return null
  const lower = wanted.toLowerCase()
  let budget = MAX_LIST_ENTRIES
  const search = (listOffset: number, depth: number): Buffer | null => {
    const list = cell(hive, listOffset)
    const kind = list.toString('latin1', 0, 2)
    const count = list.readUInt16LE(2)
    const step = kind === 'lf' || kind === 'lh' ? 8 : 4
    if (!['lf', 'lh', 'li', 'ri'].includes(kind) || 4 + count * step > list.length) throw new HiveError(`bad subkey list at ${listOffset}`)
    if ((budget -= count) < 0) throw new HiveError('too many subkey list entries')
    for (let i = 0; i < count; i++) {
      const offset = list.readUInt32LE(4 + i * step)
      if (kind === 'ri') {
        // An index of lists; a list inside a list inside an index is not a hive Windows writes.
        if (depth > 0) throw new HiveError('nested subkey index')
        const found = search(offset, depth + 1)
        if (found) return found
        continue
      }
      const child = keyAt(hive, offset)
      if (keyName(child).toLowerCase() === lower) return child
    }
    return null
  }
  return search(nk.readUInt32LE(28), 0)
}

function values(hive: Buffer, nk: Buffer): Map<string, HiveValue> {
  const out = new Map<string, HiveValue>()
  const count = nk.readUInt32LE(36)
  if (count === 0) return out
  const list = cell(hive, nk.readUInt32LE(40))
  if (count * 4 > list.length) throw new HiveError('value list shorter than its count')
  for (let i = 0; i < count; i++) {
    const vk = cell(hive, list.readUInt32LE(i * 4))
    if (vk.length < 20 || vk.toString('latin1', 0, 2) !== 'vk') throw new HiveError('bad value cell')
    const valueName = name(vk, 20, vk.readUInt16LE(2), (vk.readUInt16LE(16) & VALUE_COMP_NAME) !== 0)
    const type = vk.readUInt32LE(12)
    out.set(valueName, {text: type === REG_SZ || type === REG_EXPAND_SZ ? stringData(hive, vk) : null, type})
  }
  return out
}

/** A string value's UTF-16LE data, without its terminating NULs; null when it is stored in big-data segments (> 16 KiB, never a path). */
function stringData(hive: Buffer, vk: Buffer): null | string {
  const raw = vk.readUInt32LE(4)
  const size = raw & 0x7fff_ffff
  let data: Buffer
  if (raw & INLINE_DATA) data = vk.subarray(8, 8 + Math.min(size, 4))
  else {
    if (size > 16_344) return null
    data = cell(hive, vk.readUInt32LE(8))
    if (size > data.length) throw new HiveError('value data outside its cell')
    data = data.subarray(0, size)
  }
  return data.toString('utf16le', 0, data.length - (data.length % 2)).replace(/\0+$/, '')
}
