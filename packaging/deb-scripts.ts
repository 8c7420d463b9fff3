// Maintainer scripts of the Debian packages (POSIX sh, run by dpkg as root). They follow what
// debhelper generates for a unit (deb-systemd-helper / deb-systemd-invoke), written out because the
// packages are built without debhelper. Nothing here may fail an install because a collector is down.
import {AGENT_BOOT_UNIT, AGENT_STATE_DIR, AGENT_UNIT, COLLECTOR_DIR, COLLECTOR_ENV_FILE, COLLECTOR_UNIT, COLLECTOR_USER} from './deb-units.js'

const enableUnit = (unit: string, start: boolean) => `
  if [ -x /usr/bin/deb-systemd-helper ]; then
    deb-systemd-helper unmask '${unit}' >/dev/null || true
    deb-systemd-helper enable '${unit}' >/dev/null || true
  fi
  if [ -d /run/systemd/system ]; then
    systemctl --system daemon-reload >/dev/null || true
    ${start ? `deb-systemd-invoke restart '${unit}' >/dev/null || true` : ':'}
  fi`

const stopUnit = (unit: string) => `
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
  deb-systemd-invoke stop '${unit}' >/dev/null || true
fi`

const forgetUnit = (unit: string) => `
if [ "$1" = remove ] || [ "$1" = purge ]; then
  if [ -x /usr/bin/deb-systemd-helper ]; then
    deb-systemd-helper disable '${unit}' >/dev/null || true
  fi
  if [ -d /run/systemd/system ]; then systemctl --system daemon-reload >/dev/null || true; fi
fi
if [ "$1" = purge ] && [ -x /usr/bin/deb-systemd-helper ]; then
  deb-systemd-helper purge '${unit}' >/dev/null || true
fi`

export function agentScripts(): Record<'postinst' | 'postrm' | 'prerm', string> {
  return {
    postinst: `#!/bin/sh
set -e
if [ "$1" = configure ]; then
  install -d -m 0700 ${AGENT_STATE_DIR}
  # Enrolls from /etc/nm-guard/agent.conf when it says how; a failure is reported, never fatal:
  # the daily audit tries again.
  /usr/bin/nm-guard provision || true
${enableUnit(`${AGENT_UNIT}.timer`, true)}
  # Enabled for the next boot, not started: an upgrade during an open incident changes no rule now.
${enableUnit(AGENT_BOOT_UNIT, false)}
fi
exit 0
`,
    prerm: `#!/bin/sh
set -e
${stopUnit(`${AGENT_UNIT}.timer`)}
if [ "$1" = remove ]; then
  # A schedule an administrator added with \`nm-guard schedule install\` goes with the program.
  /usr/bin/nm-guard provision --uninstall >/dev/null 2>&1 || true
fi
exit 0
`,
    postrm: `#!/bin/sh
set -e
${forgetUnit(`${AGENT_UNIT}.timer`)}
${forgetUnit(AGENT_BOOT_UNIT)}
if [ "$1" = purge ]; then
  # Enrollment, queue, evidence and install-time settings: kept by remove, deleted by purge.
  rm -rf ${AGENT_STATE_DIR} /etc/nm-guard
fi
exit 0
`,
  }
}

export function collectorScripts(): Record<'postinst' | 'postrm' | 'prerm', string> {
  return {
    postinst: `#!/bin/sh
set -e
if [ "$1" = configure ]; then
  if ! getent passwd ${COLLECTOR_USER} >/dev/null; then
    useradd --system --user-group --home-dir ${COLLECTOR_DIR} --no-create-home --shell /usr/sbin/nologin ${COLLECTOR_USER}
  fi
  install -d -m 0700 -o ${COLLECTOR_USER} -g ${COLLECTOR_USER} ${COLLECTOR_DIR}
  chown root:${COLLECTOR_USER} ${COLLECTOR_ENV_FILE}
  chmod 0640 ${COLLECTOR_ENV_FILE}
${enableUnit(`${COLLECTOR_UNIT}.service`, true)}
  if [ ! -e ${COLLECTOR_DIR}/collector.json ]; then
    echo "nm-guard-collector: next, make its CA and certificate:"
    echo "  sudo -u ${COLLECTOR_USER} nm-guard-collector init --host <the name agents use>"
    echo "  sudo systemctl restart ${COLLECTOR_UNIT}"
  fi
fi
exit 0
`,
    prerm: `#!/bin/sh
set -e
${stopUnit(`${COLLECTOR_UNIT}.service`)}
exit 0
`,
    postrm: `#!/bin/sh
set -e
${forgetUnit(`${COLLECTOR_UNIT}.service`)}
if [ "$1" = purge ]; then
  # The database, CA and certificates: kept by remove, deleted by purge.
  rm -rf ${COLLECTOR_DIR} /etc/nm-guard-collector
  if getent passwd ${COLLECTOR_USER} >/dev/null; then userdel ${COLLECTOR_USER} >/dev/null 2>&1 || true; fi
fi
exit 0
`,
  }
}
