// Whether a report is non-compliant at a --fail-on threshold: a failed check at or above it, or
// one that could not be judged (an unknown is never taken as compliant).
import {type Severity, SEVERITIES} from '../policy/types.js'
import type {Report} from './build-report.js'

export function isNonCompliant(report: Report, failOn: Severity): boolean {
  const threshold = SEVERITIES.indexOf(failOn)
  return report.results.some((r) => (r.status === 'fail' || r.status === 'error') && SEVERITIES.indexOf(r.severity) >= threshold)
}
