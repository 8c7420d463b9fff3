import {expect} from 'chai'

import {formatLocalTime} from '../../../src/incident/draft/local-time.js'

describe('draft local time', () => {
  it('prints local time with its offset', () => {
    const saved = process.env.TZ
    try {
      process.env.TZ = 'Asia/Shanghai'
      expect(formatLocalTime(new Date('2026-11-27T08:00:05Z'))).to.equal('2026-11-27 16:00:05 UTC+08:00')
      process.env.TZ = 'America/St_Johns'
      expect(formatLocalTime(new Date('2026-11-27T08:00:05Z'))).to.equal('2026-11-27 04:30:05 UTC-03:30')
    } finally {
      if (saved === undefined) delete process.env.TZ
      else process.env.TZ = saved
    }
  })
})
