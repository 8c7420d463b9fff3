import {PassThrough} from 'node:stream'

import {expect} from 'chai'

import {UserError} from '../../../src/cli/user-error.js'
import type {Lang} from '../../../src/i18n/lang.js'
import {type MessageKey, t} from '../../../src/i18n/messages.js'
import {askMissing} from '../../../src/policy/init/ask.js'

const ENTER = '\r'
const KILL_LINE = '\u0015'

/** A terminal the prompts talk to: each answer is typed once its question has been shown. */
class Terminal {
  readonly input = new PassThrough()
  readonly output = new PassThrough()
  private shown = ''
  private seen = 0

  constructor() {
    this.output.on('data', (chunk: Buffer) => (this.shown += chunk.toString('utf8')))
  }

  /** Waits for `text` to appear after what was already answered, then types `keys`. */
  async type(text: string, keys: string): Promise<void> {
    const deadline = Date.now() + 5000
    while (this.shown.indexOf(text, this.seen) < 0) {
      if (Date.now() > deadline) throw new Error(`never shown: ${text}\n--- screen ---\n${this.shown.slice(this.seen)}`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    this.seen = this.shown.indexOf(text, this.seen) + text.length
    this.input.write(keys)
  }

  get screen(): string {
    return this.shown
  }
}

const q = (lang: Lang, key: MessageKey): string => t(lang, key)

describe('policy init: the questions on a terminal', () => {
  it('asks in Chinese for what the flags left open, offering the networks the PC is on, and re-asks a bad answer', async () => {
    const term = new Terminal()
    const answers = askMissing(
      {unitEn: 'Gaocheng District Government Office', contactEn: 'District cyberspace office'},
      {ssids: ['GC-ZWGK-5F'], subnets: ['10.13.5.0/24'], vpnAlways: false},
      {input: term.input, lang: 'zh-CN', output: term.output},
    )
    await term.type(q('zh-CN', 'policyInit.ask.unitZh'), `石家庄市藁城区人民政府办公室${ENTER}`)
    await term.type(q('zh-CN', 'policyInit.ask.wangxinPhone'), `网信${ENTER}`)
    // No digit: refused in Chinese, then typed again.
    await term.type('不是电话号码', `${KILL_LINE}0311-00000000${ENTER}`)
    await term.type(q('zh-CN', 'policyInit.ask.policePhone'), `0311-00000001${ENTER}`)
    await term.type(q('zh-CN', 'policyInit.ask.contactZh'), `区委网信办值班室${ENTER}`)
    // The SSID this PC is on comes pre-selected: Enter keeps it; one more is typed.
    await term.type('GC-ZWGK-5F', ENTER)
    await term.type(q('zh-CN', 'policyInit.ask.ssidsMore'), `GC-ZWGK-3F，GC-ZWGK-5F${ENTER}`)
    // The offered range is cleared with the space bar and a wider one typed; a host address is refused.
    await term.type('10.13.5.0/24', ` ${ENTER}`)
    await term.type(q('zh-CN', 'policyInit.ask.subnetsMore'), `10.13.5.1/16${ENTER}`)
    await term.type('10.13.0.0/16？', `${KILL_LINE}10.13.0.0/16${ENTER}`)
    await term.type(q('zh-CN', 'policyInit.ask.vpnAlways'), `y${ENTER}`)
    await term.type(q('zh-CN', 'policyInit.ask.kmsHosts'), `kms.gc.gov.cn, 10.13.0.5${ENTER}`)
    expect(await answers).to.deep.equal({
      contactEn: 'District cyberspace office',
      contactZh: '区委网信办值班室',
      kmsHosts: ['kms.gc.gov.cn', '10.13.0.5'],
      policePhone: '0311-00000001',
      ssids: ['GC-ZWGK-5F', 'GC-ZWGK-3F'],
      subnets: ['10.13.0.0/16'],
      unitEn: 'Gaocheng District Government Office',
      unitZh: '石家庄市藁城区人民政府办公室',
      vpnAlways: true,
      wangxinPhone: '0311-00000000',
    })
    expect(term.screen).not.to.include(q('en', 'policyInit.ask.unitEn'))
  })

  it('takes an empty Wi-Fi answer as "no Wi-Fi approved", and needs at least one office range', async () => {
    const term = new Terminal()
    const given = {contactEn: 'c', contactZh: 'c', kmsHosts: [], policePhone: '110', unitEn: 'u', unitZh: 'u', vpnAlways: false, wangxinPhone: '12377'}
    const answers = askMissing(given, {ssids: [], subnets: [], vpnAlways: false}, {input: term.input, lang: 'en', output: term.output})
    await term.type(q('en', 'policyInit.ask.ssidsMore.none'), ENTER)
    await term.type(q('en', 'policyInit.ask.subnetsMore.none'), ENTER)
    await term.type(q('en', 'policyInit.bad.noSubnet'), `2001:DB8:0:0::/48${ENTER}`)
    const result = await answers
    expect(result.ssids).to.deep.equal([])
    expect(result.subnets).to.deep.equal(['2001:DB8:0:0::/48'])
  })

  it('turns Ctrl-C into "cancelled, nothing written"', async () => {
    const term = new Terminal()
    const answers = askMissing({}, {ssids: [], subnets: [], vpnAlways: false}, {input: term.input, lang: 'en', output: term.output}).catch((e: unknown) => e)
    await term.type(q('en', 'policyInit.ask.unitZh'), '\u0003')
    expect(await answers).to.be.instanceOf(UserError).with.property('key', 'policyInit.cancelled')
  })
})
