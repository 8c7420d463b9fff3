// A real, throwaway Secret Service for keychain tests: a private D-Bus session bus
// (dbus-run-session) with gnome-keyring-daemon's secrets component, its login keyring created and
// unlocked with a random password (piped byte for byte, as gnome-keyring wants), in a temporary
// HOME / XDG_DATA_HOME. Processes get the session through DBUS_SESSION_BUS_ADDRESS.
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {mkdtempSync, readdirSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {hasCommand} from './require-part.js'

export const SECRET_SERVICE_PACKAGES = 'dbus-run-session and gnome-keyring-daemon (packages dbus-daemon, gnome-keyring)'

export const secretServicePresent = (): boolean => hasCommand('dbus-run-session') && hasCommand('gnome-keyring-daemon')

export interface SecretServiceSession {
  /** Environment for a process that should use this Secret Service. */
  env: Record<string, string>
  home: string
  stop: () => Promise<void>
}

export interface StartOptions {
  /** false: a bus on which gnome-keyring can be activated but no keyring is unlocked. */
  unlock?: boolean
}

export function startSecretService(options: StartOptions = {}): Promise<SecretServiceSession> {
  const home = mkdtempSync(join(tmpdir(), 'nmg-keyring-home-'))
  const base = {HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share'), XDG_RUNTIME_DIR: home}
  const unlock = options.unlock !== false
  // The session lives as long as `cat` does: it ends when the harness closes cat's stdin.
  const script = unlock
    ? 'printf %s "$NMG_KEYRING_PW" | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1; printf "%s\\n" "$DBUS_SESSION_BUS_ADDRESS"; exec cat'
    : 'printf "%s\\n" "$DBUS_SESSION_BUS_ADDRESS"; exec cat'
  const child: ChildProcessWithoutNullStreams = spawn('dbus-run-session', ['--', 'sh', '-c', script], {
    env: {...process.env, ...base, DBUS_SESSION_BUS_ADDRESS: '', NMG_KEYRING_PW: randomBytes(18).toString('base64')},
  })
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => fail(new Error(`Secret Service did not start in 20 s: ${err}`)), 20_000)
    const fail = (error: Error) => {
      clearTimeout(timer)
      child.kill()
      reject(error)
    }
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', fail)
    child.on('exit', (code) => fail(new Error(`dbus-run-session exited (${code}): ${err}`)))
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n')[0]
      if (!out.includes('\n') || !line) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      resolve({
        env: {...base, DBUS_SESSION_BUS_ADDRESS: line.trim()},
        home,
        async stop() {
          await new Promise<void>((done) => {
            if (child.exitCode !== null) return done()
            child.once('exit', () => done())
            child.stdin.end()
            setTimeout(() => child.kill(), 5000).unref()
          })
          // The daemon forked away from the session; it usually leaves with the bus, not always.
          for (const pid of keyringDaemonsOf(home)) process.kill(pid)
        },
      })
    })
  })
}

/** gnome-keyring-daemon processes started for this session: the ones whose HOME is its folder. */
function keyringDaemonsOf(home: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').startsWith('gnome-keyring-daemon')) continue
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`HOME=${home}`)) pids.push(Number(entry))
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids
}
