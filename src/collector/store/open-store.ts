// `--db` picks the backend: sqlite:PATH (default <dir>/collector.db) or postgres://….
import {join} from 'node:path'

import type {CollectorStore} from './types.js'

export class DbUrlError extends Error {}

/** The backend's driver is not installed: an agent-only install, which carries no database driver. */
export class DriverMissingError extends Error {
  constructor(public readonly driver: string) {
    super(`${driver} is not installed`)
  }
}

/** Loads a backend's module, telling a missing driver (ERR_MODULE_NOT_FOUND) from a broken one. */
async function loadBackend<T>(load: () => Promise<T>, driver: string): Promise<T> {
  try {
    return await load()
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    if (e.code === 'ERR_MODULE_NOT_FOUND' && e.message.includes(`'${driver}'`)) throw new DriverMissingError(driver)
    throw error
  }
}

export function defaultDbUrl(dir: string): string {
  return `sqlite:${join(dir, 'collector.db')}`
}

/** Opens and migrates; the drivers load only for the backend in use. */
export async function openStore(url: string): Promise<CollectorStore> {
  let store: CollectorStore
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length)
    if (file === '') throw new DbUrlError('sqlite: needs a file path')
    const {SqliteStore} = await loadBackend(() => import('./sqlite-store.js'), 'better-sqlite3')
    store = new SqliteStore(file)
  } else if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const {PostgresStore} = await loadBackend(() => import('./postgres-store.js'), 'pg')
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
