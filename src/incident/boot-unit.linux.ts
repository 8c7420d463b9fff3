// Whether the boot unit that re-applies the cut is installed and enabled, as systemctl says.
import type {Exec} from '../facts/types.js'
import {BOOT_UNIT, type BootUnitState, parseIsEnabled} from './boot-unit.js'

/** `incident status` waits at most this long for systemctl (a hung manager must not hang status). */
export const BOOT_UNIT_TIMEOUT_MS = 5000

/** state null: systemctl is missing (no systemd, so nothing re-applies the cut at boot) or did not answer. */
export async function readBootUnit(exec: Exec): Promise<BootUnitState> {
  try {
    const result = await exec('systemctl', ['is-enabled', BOOT_UNIT], {timeoutMs: BOOT_UNIT_TIMEOUT_MS})
    return parseIsEnabled(BOOT_UNIT, result.code, result.stdout, result.stderr)
  } catch {
    return {enabled: false, state: null, unit: BOOT_UNIT}
  }
}
