// `policy show`: the checks grouped by clause, with severity, platforms and compliance references.
import type {Lang} from '../i18n/lang.js'
import {translator} from '../i18n/messages.js'
import {groupByClause} from '../report/group-by-clause.js'
import type {LoadedPolicy} from './types.js'

export function renderPolicy(loaded: LoadedPolicy, lang: Lang): string {
  const tr = translator(lang)
  const {policy} = loaded
  const text = (value: {en: string; zh: string}): string => (lang === 'zh-CN' ? value.zh : value.en)
  const lines = [
    `${text(policy.policy.title)} — ${policy.policy.id} ${policy.policy.version}`,
    tr('policy.showFile', {checks: policy.checks.length, file: loaded.file, sha: loaded.sha256.slice(0, 16)}),
  ]
  for (const group of groupByClause(policy.checks)) {
    lines.push('', `${group.clause.id}  ${group.clause.text}`)
    for (const check of group.items) {
      const platforms = check.platforms ? ` (${check.platforms.join(', ')})` : ''
      lines.push(`  [${tr(`severity.${check.severity}`)}] ${check.id}  ${text(check.title)}${platforms}`)
      const refs = Object.entries(check.compliance).map(([framework, clauses]) => `${framework} ${clauses.join(', ')}`)
      lines.push(`      ${refs.join(' · ')}`)
    }
  }
  return lines.join('\n')
}
