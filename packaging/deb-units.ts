// The systemd units the Debian packages ship: the agent's daily audit timer (the same units
// `nm-guard schedule install` writes, here pointing at the bundled runtime), the agent's boot unit
// that keeps an isolated PC cut off across restarts, and the collector's service.
import {BOOT_UNIT, bootUnitText} from '../src/incident/boot-unit.js'
import {buildPlan, DEFAULT_TIME} from '../src/schedule/plan.js'
import {systemdService, systemdTimer, UNIT} from '../src/schedule/schedule.linux.js'

export const AGENT_PREFIX = '/usr/lib/nm-guard'
export const COLLECTOR_PREFIX = '/usr/lib/nm-guard-collector'
export const COLLECTOR_USER = 'nm-guard-collector'
export const COLLECTOR_DIR = '/var/lib/nm-guard-collector'
export const COLLECTOR_ENV_FILE = '/etc/nm-guard-collector/collector.env'
export const AGENT_UNIT = UNIT
/** Root's state folder on a package install (the postinst makes it): the incident journal is there. */
export const AGENT_STATE_DIR = '/var/lib/nm-guard'
export const AGENT_BOOT_UNIT = BOOT_UNIT
export const COLLECTOR_UNIT = 'nm-guard-collector'

const PACKAGE_HEADER = '# Installed by the nm-guard-agent package; `nm-guard schedule install` writes an override in /etc/systemd/system.'

export function agentUnits(): {service: string; timer: string} {
  const plan = buildPlan({binPath: `${AGENT_PREFIX}/app/bin/run.js`, env: {}, execPath: `${AGENT_PREFIX}/node`, host: 'package', time: DEFAULT_TIME})
  return {service: systemdService(plan, true, PACKAGE_HEADER), timer: systemdTimer(plan, PACKAGE_HEADER)}
}

/** nm-guard-isolation.service: `incident reapply` at every boot, before the network, while an incident is open. */
export function agentBootUnit(): string {
  return bootUnitText({command: [`${AGENT_PREFIX}/node`, `${AGENT_PREFIX}/app/bin/run.js`], header: '# Installed by the nm-guard-agent package.', stateDir: AGENT_STATE_DIR})
}

/** Listens where collector.env says (LISTEN_HOST/LISTEN_PORT); the database is NMG_COLLECTOR_DB there. */
export function collectorService(): string {
  return [
    '# Installed by the nm-guard-collector package. Settings: /etc/nm-guard-collector/collector.env',
    '[Unit]',
    'Description=nm-guard collector (agent reports, fleet dashboard)',
    'Wants=network-online.target',
    'After=network-online.target',
    // Until `nm-guard-collector init` has made the CA and server certificate there is nothing to serve.
    `ConditionPathExists=${COLLECTOR_DIR}/collector.json`,
    '',
    '[Service]',
    `User=${COLLECTOR_USER}`,
    `Group=${COLLECTOR_USER}`,
    'Environment=LISTEN_HOST=0.0.0.0 LISTEN_PORT=8443',
    `Environment=NMG_COLLECTOR_DIR=${COLLECTOR_DIR}`,
    `EnvironmentFile=-${COLLECTOR_ENV_FILE}`,
    `ExecStart=${COLLECTOR_PREFIX}/node ${COLLECTOR_PREFIX}/app/bin/run.js collector serve --host \${LISTEN_HOST} --port \${LISTEN_PORT}`,
    'Restart=on-failure',
    'RestartSec=5',
    // It needs its own folder and the network, nothing else.
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ProtectHome=yes',
    'PrivateTmp=yes',
    'PrivateDevices=yes',
    `ReadWritePaths=${COLLECTOR_DIR}`,
    'UMask=0077',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n')
}

export const COLLECTOR_ENV_DEFAULT = [
  '# nm-guard collector settings, read by the nm-guard-collector service (systemd EnvironmentFile).',
  '# Address and port the collector listens on.',
  'LISTEN_HOST=0.0.0.0',
  'LISTEN_PORT=8443',
  '# Database: SQLite in /var/lib/nm-guard-collector by default; for PostgreSQL:',
  '# NMG_COLLECTOR_DB=postgres://nmguard:PASSWORD@127.0.0.1/nmguard',
  '',
].join('\n')
