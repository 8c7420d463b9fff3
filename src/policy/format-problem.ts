// A policy problem in the user's language (the location is printed by the caller).
import type {Lang} from '../i18n/lang.js'
import {t} from '../i18n/messages.js'
import type {Problem} from './types.js'

export const formatProblem = (problem: Problem, lang: Lang): string => t(lang, problem.key, problem.params)
