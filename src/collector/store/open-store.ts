// `--db` picks the backend: sqlite:PATH (default <dir>/collector.db) or postgres://….
import {join} from 'node:path'

import type {CollectorStore} from './types.js'

export class DbUrlError extends Error {}

export function defaultDbUrl(dir: string): string {
  return `sqlite:${join(dir, 'collector.db')}`
}

/** Opens and migrates; the drivers load only for the backend in use. */
export async function openStore(url: string): Promise<CollectorStore> {
  let store: CollectorStore
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length)
    if (file === '') throw new DbUrlError('sqlite: needs a file path')
    const {SqliteStore} = await import('./sqlite-store.js')
    store = new SqliteStore(file)
  } else if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const {PostgresStore} = await import('./postgres-store.js')
    store = new PostgresStore(url)
  } else {
    throw new DbUrlError('use sqlite:PATH or postgres://…')
  }
  try {
    await store.migrate()
  } catch (error) {
    await store.close().catch(() => {})
    throw error
  }
  return store
}
