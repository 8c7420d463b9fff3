// --dry-run: the exact isolation plan, why its method was chosen, one numbered step per command with why, and any stdin
// (the nftables script, the pf rules) printed after its command.
import type {Lang} from '../i18n/lang.js'
import {t} from '../i18n/messages.js'
import {renderCommand} from './isolation/render-plan.js'
import type {IsolationPlan} from './types.js'

export function renderPlan(plan: IsolationPlan, lang: Lang): string {
  const lines = [t(lang, 'incident.plan.header', {method: plan.method, platform: plan.platform})]
  // Why this method (e.g. Group Policy controls the firewall), before its steps.
  for (const note of plan.notes ?? []) lines.push(`! ${t(lang, note.key, note.params)}`)
  for (const [index, command] of plan.commands.entries()) {
    lines.push(`${index + 1}. ${t(lang, command.purpose)}`, `   $ ${renderCommand(command)}`)
    if (command.input !== undefined) lines.push(...command.input.trimEnd().split('\n').map((line) => `     ${line}`))
  }
  return lines.join('\n')
}
