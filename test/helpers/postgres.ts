// A real, throwaway PostgreSQL server for the tests: initdb in a temp folder, listening only on a
// unix socket inside it (no TCP port at all), started once per run and stopped when the run exits.
// Each caller gets a fresh database in it.
import {execFileSync} from 'node:child_process'
import {chmodSync, chownSync, existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import pg from 'pg'

import {isRoot} from './require-part.js'

const BIN_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin']
export const POSTGRES_PACKAGE = 'PostgreSQL server binaries (package postgresql-15)'

export function postgresBinDir(): null | string {
  return BIN_DIRS.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) ?? null
}

interface Server {
  root: string
  dataDir: string
  socketDir: string
  binDir: string
}

let server: null | Server = null
let databases = 0
const SUPERUSER = 'nmg'

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` system user. */
function run(binDir: string, tool: string, args: string[]): void {
  const command = isRoot() ? ['runuser', '-u', 'postgres', '--', join(binDir, tool), ...args] : [join(binDir, tool), ...args]
  execFileSync(command[0] as string, command.slice(1), {stdio: 'pipe', timeout: 60_000})
}

function start(): Server {
  const binDir = postgresBinDir()
  if (!binDir) throw new Error(`missing ${POSTGRES_PACKAGE}`)
  const root = mkdtempSync(join(tmpdir(), 'nmg-pg-'))
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
    chownSync(root, uid, gid)
  }
  chmodSync(root, 0o700)
  const dataDir = join(root, 'data')
  const socketDir = root
  run(binDir, 'initdb', ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--no-sync'])
  // listen_addresses='' : the socket only. fsync off: the data is thrown away anyway.
  const options = `-c listen_addresses='' -k ${socketDir} -p 5432 -c fsync=off -c full_page_writes=off`
  run(binDir, 'pg_ctl', ['-D', dataDir, '-l', join(root, 'server.log'), '-o', options, '-w', '-t', '60', 'start'])
  const started = {binDir, dataDir, root, socketDir}
  process.once('exit', () => stop(started))
  return started
}

function stop(s: Server): void {
  try {
    run(s.binDir, 'pg_ctl', ['-D', s.dataDir, '-m', 'immediate', '-w', 'stop'])
  } finally {
    rmSync(s.root, {force: true, recursive: true})
  }
}

function url(s: Server, database: string): string {
  return `postgres://${SUPERUSER}@localhost/${database}?host=${encodeURIComponent(s.socketDir)}`
}

/** A connection URL to a new, empty database on the shared test server. */
export async function freshDatabase(): Promise<string> {
  server ??= start()
  const name = `nmg_test_${process.pid}_${++databases}`
  const admin = new pg.Client({connectionString: url(server, 'postgres')})
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  return url(server, name)
}
