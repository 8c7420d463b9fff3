// What `nm-guard schedule` installs and reports, the same shape on every platform.
import type {Exec} from '../facts/types.js'

export type Mechanism = 'cron' | 'launchd' | 'schtasks' | 'systemd'

/** A time of day, 24-hour. */
export interface TimeOfDay {
  hour: number
  minute: number
}

/** Everything a platform generator needs; built once by plan.ts so the generators stay pure. */
export interface SchedulePlan {
  /** The time the user asked for. */
  time: TimeOfDay
  /** Per-host offset in minutes (0–29), for platforms without a native random delay. */
  offsetMinutes: number
  /** Absolute node + bin/run.js + `audit --report --scheduled`. */
  command: string[]
  /** NMG_STATE_DIR / NMG_CONFIG_DIR when set, passed to the scheduled run. */
  env: Record<string, string>
}

/** What a platform backend reports; ScheduleStatus adds what nm-guard itself recorded. */
export interface PlatformStatus {
  installed: boolean
  mechanism: Mechanism
  /** The file or task name the schedule lives in. */
  location: string
  /** HH:MM the platform will start the run (before any systemd random delay). */
  time: string | null
  /** When the platform says the next run is, as it says it; null when it does not say. */
  nextRun: string | null
  /** When the last run started (or ended), as the platform says it; null when never run or not recorded. */
  lastRun: string | null
  /** The last run's result as the platform records it; null when never run or not recorded. */
  lastResult: string | null
}

export interface ScheduleStatus extends PlatformStatus {
  /** The newest line of <stateDir>/schedule/last-failures.log: the last scheduled run that failed. */
  lastFailure: string | null
}

export interface InstallOutcome {
  mechanism: Mechanism
  location: string
  /** HH:MM the platform will start the run. */
  time: string
  /** True when an existing schedule was replaced. */
  replaced: boolean
  /** False when the run will not have administrator/root rights: some checks will be unavailable. */
  elevated: boolean
}

export interface RemoveOutcome {
  mechanism: Mechanism
  location: string
  /** False when nothing was installed. */
  removed: boolean
}

export interface PlatformScheduler {
  install(plan: SchedulePlan): Promise<InstallOutcome>
  remove(): Promise<RemoveOutcome>
  status(): Promise<PlatformStatus>
}

export interface Scheduler extends PlatformScheduler {
  status(): Promise<ScheduleStatus>
}

/** What every platform backend may be handed instead of the real machine (tests). */
export interface SchedulerEnv {
  exec: Exec
  /** Root / elevated administrator. */
  admin: boolean
  /** Prefix for every file path the scheduler reads or writes ('' or '/' = the real root). */
  fsRoot: string
  home: string
  /** The numeric uid, for launchd's gui/<uid> domain. */
  uid: number
}
