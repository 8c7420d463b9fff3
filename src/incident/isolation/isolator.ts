// The isolator for a platform: nftables/iptables/link-down on Linux, netsh on Windows, pf on macOS.
import type {Platform} from '../../facts/types.js'
import type {Isolator, IsolatorOptions} from '../types.js'
import {darwinIsolator} from './isolator.darwin.js'
import {linuxIsolator} from './isolator.linux.js'
import {win32Isolator} from './isolator.win32.js'

export function createIsolator(platform: Platform, options: IsolatorOptions): Isolator {
  if (platform === 'linux') return linuxIsolator(options)
  if (platform === 'win32') return win32Isolator(options)
  return darwinIsolator(options)
}

export {IsolationFailed, RestoreFailed} from './isolator.linux.js'
export {renderCommand} from './render-plan.js'
