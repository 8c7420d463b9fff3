// The smallest registry hive hivex accepts: a base block and one hbin holding the root key and a
// free cell. hivexsh (libhivex-bin, an independent regf writer) then adds the keys and values the
// tests read, so the reader is checked against a hive it did not write itself.
const BLOCK = 4096
/** Where the security cell goes, after the root key (relative to the hbin). */
const SK_CELL = 0x20 + 88

export function emptyHive(): Buffer {
  const hive = Buffer.alloc(BLOCK * 2)
  hive.write('regf', 0, 'latin1')
  hive.writeUInt32LE(1, 4) // primary sequence number
  hive.writeUInt32LE(1, 8) // secondary: equal, so the hive is clean
  hive.writeUInt32LE(1, 0x14) // major version
  hive.writeUInt32LE(5, 0x18) // minor version (Windows XP and later write 1.5)
  hive.writeUInt32LE(0x20, 0x24) // root key cell, relative to the first hbin
  hive.writeUInt32LE(BLOCK, 0x28) // hbins' size
  hive.writeUInt32LE(1, 0x2c) // clustering factor
  let sum = 0
  for (let i = 0; i < 0x1fc; i += 4) sum = (sum ^ hive.readUInt32LE(i)) >>> 0
  hive.writeUInt32LE(sum, 0x1fc)

  const bin = BLOCK
  hive.write('hbin', bin, 'latin1')
  hive.writeUInt32LE(0, bin + 4) // offset of this hbin
  hive.writeUInt32LE(BLOCK, bin + 8) // its size
  const nk = bin + 0x20
  const nkSize = 80 + 8
  hive.writeInt32LE(-nkSize, nk)
  const key = nk + 4
  hive.write('nk', key, 'latin1')
  hive.writeUInt16LE(0x2c, key + 2) // root key, compressed name
  hive.writeUInt32LE(0xffff_ffff, key + 16) // parent
  hive.writeUInt32LE(0xffff_ffff, key + 28) // subkey list
  hive.writeUInt32LE(0xffff_ffff, key + 32) // volatile subkey list
  hive.writeUInt32LE(0xffff_ffff, key + 40) // value list
  hive.writeUInt32LE(SK_CELL, key + 44) // security: new keys copy their parent's
  hive.writeUInt32LE(0xffff_ffff, key + 48) // class name
  hive.writeUInt16LE(4, key + 72)
  hive.write('ROOT', key + 76, 'latin1')
  // One security descriptor cell, its own list (flink = blink = itself), then one free cell.
  const sk = bin + 0x20 + SK_CELL - 0x20
  const descriptor = Buffer.from([1, 0, 0x04, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
  const skSize = 24 + descriptor.length + 4
  hive.writeInt32LE(-skSize, sk)
  hive.write('sk', sk + 4, 'latin1')
  hive.writeUInt32LE(SK_CELL, sk + 8)
  hive.writeUInt32LE(SK_CELL, sk + 12)
  hive.writeUInt32LE(1, sk + 16) // reference count
  hive.writeUInt32LE(descriptor.length, sk + 20)
  descriptor.copy(hive, sk + 24)
  hive.writeInt32LE(BLOCK - SK_CELL - skSize, sk + skSize)
  return hive
}
