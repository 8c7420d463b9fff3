// agent.conf as the packages leave it: parsed strictly, never echoing a value, and rewritten line
// by line so that only the token goes.
import {expect} from 'chai'

import {agentConfPath, CONF_KEYS, MAX_CONF_BYTES, parseAgentConf, renderAgentConf, scrubToken} from '../../../src/agent/install/agent-conf.js'
import {EXIT} from '../../../src/cli/exit-codes.js'
import {UserError} from '../../../src/cli/user-error.js'

const TOKEN = 'nmg_enroll_S3cretTokenValue'
const URL_WITH_QUERY = 'https://collector.example.gov.cn:8443/?a=1&b=2'
const FP = '3f'.repeat(32)
const WHEN = new Date('2026-03-01T02:03:04.000Z')

function thrown(fn: () => unknown): UserError {
  try {
    fn()
  } catch (error) {
    if (error instanceof UserError) return error
    throw error
  }
  throw new Error('expected a UserError')
}

describe('agent.conf', () => {
  describe('parseAgentConf', () => {
    it('reads comments, blank lines, CRLF, a BOM, quotes, lower-case keys and = inside values', () => {
      const text = [
        '\uFEFF# written by the MSI',
        '; an .ini-style comment',
        '',
        '   ',
        `collector_url = ${URL_WITH_QUERY}`,
        `Enroll_Token="${TOKEN}"`,
        `  CA_FINGERPRINT = '${FP}'  `,
      ].join('\r\n')
      expect(parseAgentConf(text, '/x/agent.conf')).to.deep.equal({CA_FINGERPRINT: FP, COLLECTOR_URL: URL_WITH_QUERY, ENROLL_TOKEN: TOKEN})
    })

    it('ignores empty values (a later empty line does not clear an earlier one)', () => {
      const text = `COLLECTOR_URL=https://c.example\nENROLL_TOKEN=\nCA_FINGERPRINT=""\nCOLLECTOR_URL=  \n`
      expect(parseAgentConf(text, 'f')).to.deep.equal({COLLECTOR_URL: 'https://c.example'})
    })

    it('keeps a lone quote and mismatched quotes as they are', () => {
      expect(parseAgentConf(`ENROLL_TOKEN="abc'\nCOLLECTOR_URL="`, 'f')).to.deep.equal({COLLECTOR_URL: '"', ENROLL_TOKEN: `"abc'`})
    })

    it('refuses an unknown key with the line number and exit 2, never quoting the value', () => {
      const text = `# header\nCOLLECTOR_URL=https://c.example\n\nENROL_TOKEN=${TOKEN}\n`
      const error = thrown(() => parseAgentConf(text, '/etc/nm-guard/agent.conf'))
      expect(error.key).to.equal('provision.badConfLine')
      expect(error.exitCode).to.equal(EXIT.usage).and.to.equal(2)
      expect(error.params).to.deep.equal({file: '/etc/nm-guard/agent.conf', keys: CONF_KEYS.join(', '), line: 4})
      expect(JSON.stringify(error.params) + error.message).to.not.include(TOKEN)
    })

    it('refuses a line without = (a token pasted alone) without quoting it', () => {
      const error = thrown(() => parseAgentConf(`COLLECTOR_URL=https://c.example\r\n${TOKEN}\r\n`, 'f'))
      expect(error.key).to.equal('provision.badConfLine')
      expect(error.params.line).to.equal(2)
      expect(JSON.stringify(error.params)).to.not.include(TOKEN)
    })
  })

  describe('scrubToken', () => {
    it('replaces only the ENROLL_TOKEN lines, keeping comments and order', () => {
      const text = ['# keep me', `COLLECTOR_URL=${URL_WITH_QUERY}`, `ENROLL_TOKEN=${TOKEN}`, '; ENROLL_TOKEN=commented-out', `CA_FINGERPRINT=${FP}`, ''].join('\n')
      expect(scrubToken(text, WHEN)).to.equal(
        ['# keep me', `COLLECTOR_URL=${URL_WITH_QUERY}`, '# ENROLL_TOKEN removed after enrollment (2026-03-01T02:03:04.000Z)', '; ENROLL_TOKEN=commented-out', `CA_FINGERPRINT=${FP}`, ''].join('\n'),
      )
    })

    it('also removes indented, lower-case and spaced forms, and every one of them', () => {
      const text = `\uFEFF enroll_token = ${TOKEN}\r\nCOLLECTOR_URL=https://c.example\r\n\tEnroll_Token\t=\t"${TOKEN}2"\r\n`
      const scrubbed = scrubToken(text, WHEN)
      expect(scrubbed).to.not.include(TOKEN)
      expect(scrubbed.split('\n').filter((l) => l.startsWith('# ENROLL_TOKEN removed after enrollment (2026-03-01T02:03:04.000Z)'))).to.have.length(2)
      expect(scrubbed).to.include('COLLECTOR_URL=https://c.example')
      // What is left still parses.
      expect(parseAgentConf(scrubbed, 'f')).to.deep.equal({COLLECTOR_URL: 'https://c.example'})
    })

    it('leaves a value that merely contains ENROLL_TOKEN alone', () => {
      const text = 'COLLECTOR_URL=https://c.example/?ENROLL_TOKEN=x\n'
      expect(scrubToken(text, WHEN)).to.equal(text)
    })
  })

  describe('renderAgentConf', () => {
    it('round-trips through parseAgentConf, with a header and only the keys given', () => {
      const settings = {CA_FINGERPRINT: FP, COLLECTOR_URL: URL_WITH_QUERY, ENROLL_TOKEN: TOKEN}
      const text = renderAgentConf(settings)
      expect(text.startsWith('# ')).to.equal(true)
      expect(text.endsWith('\n')).to.equal(true)
      expect(parseAgentConf(text, 'f')).to.deep.equal(settings)
      const partial = renderAgentConf({COLLECTOR_URL: URL_WITH_QUERY})
      expect(partial).to.not.match(/^ENROLL_TOKEN=|^CA_FINGERPRINT=/m)
      expect(parseAgentConf(partial, 'f')).to.deep.equal({COLLECTOR_URL: URL_WITH_QUERY})
      expect(Buffer.byteLength(text)).to.be.below(MAX_CONF_BYTES)
    })
  })

  describe('agentConfPath', () => {
    it('is /etc/nm-guard/agent.conf on Linux', () => {
      expect(agentConfPath({}, 'linux')).to.equal('/etc/nm-guard/agent.conf')
    })

    it("is the agent's folder under %ProgramData% on Windows", () => {
      expect(agentConfPath({ProgramData: 'D:\\PD'}, 'win32')).to.equal('D:\\PD\\nm-guard\\agent\\agent.conf')
      // Beside the agent's identity: wherever the state folder is.
      expect(agentConfPath({NMG_STATE_DIR: 'E:\\state', ProgramData: 'D:\\PD'}, 'win32')).to.equal('E:\\state\\agent\\agent.conf')
    })

    it('is under /Library/Application Support on macOS', () => {
      expect(agentConfPath({}, 'darwin')).to.equal('/Library/Application Support/nm-guard/agent.conf')
    })

    it('follows NMG_AGENT_CONF on every platform', () => {
      for (const platform of ['linux', 'win32', 'darwin'] as const) expect(agentConfPath({NMG_AGENT_CONF: '/tmp/a.conf', ProgramData: 'D:\\PD'}, platform)).to.equal('/tmp/a.conf')
    })
  })
})
