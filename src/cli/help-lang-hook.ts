// oclif's init hook: `nm-guard help policy --lang zh-CN`. oclif's help command declares no --lang
// and refuses any flag it does not know, so the words are taken out of the argv it will parse (the
// same array oclif passes on). The help class reads the language from process.argv instead.
import type {Hook} from '@oclif/core'

import {withoutLang} from './help.js'

const hook: Hook<'init'> = async function (options) {
  if (options.id !== 'help') return
  const kept = withoutLang(options.argv)
  options.argv.splice(0, options.argv.length, ...kept)
}

export default hook
