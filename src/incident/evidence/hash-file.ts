// SHA-256 and size of a file, streamed (an executable may be hundreds of MB).
import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'

export function hashFile(path: string): Promise<{bytes: number; sha256: string}> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    let bytes = 0
    createReadStream(path)
      .on('data', (chunk) => {
        bytes += chunk.length
        hash.update(chunk)
      })
      .on('error', reject)
      .on('end', () => resolve({bytes, sha256: hash.digest('hex')}))
  })
}
