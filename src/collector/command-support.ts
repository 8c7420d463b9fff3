// Shared by the collector commands: the --dir/--db flags and opening the database with errors a
// user can act on (never echoing a database password).
import {Flags} from '@oclif/core'

import {UserError} from '../cli/user-error.js'
import {helpText} from '../i18n/help-text.js'
import {DbUrlError, defaultDbUrl, DriverMissingError, openStore} from './store/open-store.js'
import type {CollectorStore} from './store/types.js'

// The collector package's service and its nm-guard-collector command set these from its settings file.
export const dirFlag = () => Flags.string({env: 'NMG_COLLECTOR_DIR', required: true, summary: helpText('help.collector.dir')})
export const dbFlag = () => Flags.string({env: 'NMG_COLLECTOR_DB', summary: helpText('help.collector.db')})

/** The URL without its password, for messages. */
export function redactDbUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/, '$1:***@')
}

export async function openCollectorStore(dir: string, db: string | undefined): Promise<{store: CollectorStore; url: string}> {
  const url = db ?? defaultDbUrl(dir)
  try {
    return {store: await openStore(url), url}
  } catch (error) {
    if (error instanceof DriverMissingError) throw new UserError('collector.driverMissing', {driver: error.driver})
    if (error instanceof DbUrlError) throw new UserError('collector.badDb', {db: redactDbUrl(url), reason: error.message})
    const reason = ((error as Error).message ?? String(error)).split('\n')[0] as string
    throw new UserError('collector.dbFailed', {db: redactDbUrl(url), reason: redactDbUrl(reason)})
  }
}
