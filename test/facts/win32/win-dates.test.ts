import {expect} from 'chai'

import {parseCalendarDate, parseHexFiletime, parseMsJsonDate, parseWinDate, parseWinDay, parseWmiDate} from '../../../src/facts/win32/win-dates.js'

describe('win32 dates', () => {
  it('reads PS 5.1 "\\/Date(ms)\\/" before and after JSON.parse', () => {
    expect(parseMsJsonDate(String.raw`\/Date(1794021735000)\/`)).to.equal('2026-11-07T03:22:15.000Z')
    expect(parseMsJsonDate('/Date(1794021735000)/')).to.equal('2026-11-07T03:22:15.000Z')
    // The offset is informational: the number is already UTC.
    expect(parseMsJsonDate('/Date(1794021735000+0800)/')).to.equal('2026-11-07T03:22:15.000Z')
    expect(parseMsJsonDate('/Date(abc)/')).to.equal(null)
  })

  it('reads the WMI DMTF datetime with its minutes-east offset', () => {
    expect(parseWmiDate('20231105000000.000000+480')).to.equal('2023-11-04T16:00:00.000Z')
    expect(parseWmiDate('20261127153012.500000-300')).to.equal('2026-11-27T20:30:12.500Z')
    expect(parseWmiDate('2023110500000')).to.equal(null)
  })

  it('reads registry InstallDate and QFE InstalledOn calendar dates', () => {
    expect(parseCalendarDate('20231105')).to.equal('2023-11-05T00:00:00.000Z')
    expect(parseCalendarDate('2026/7/10')).to.equal('2026-07-10T00:00:00.000Z')
    expect(parseCalendarDate('11/5/2026')).to.equal('2026-11-05T00:00:00.000Z')
    expect(parseCalendarDate('20231341')).to.equal(null)
    expect(parseCalendarDate('2/30/2026')).to.equal(null)
  })

  it('reads the hex FILETIME old QFE entries carry', () => {
    // 0x01cc0e8a4e9a5c00 100-ns ticks since 1601-01-01 = 2011-05-09 20:47:27.391 UTC.
    expect(parseHexFiletime('01cc0e8a4e9a5c00')).to.equal('2011-05-09T20:47:27.391Z')
    expect(parseHexFiletime('01cc0e8a4e9a5c0')).to.equal(null)
  })

  it('parseWinDate takes every shape, and treats sentinels and junk as null', () => {
    expect(parseWinDate({DateTime: 'Saturday, November 7, 2026 11:22:15 AM', DisplayHint: 2, value: '/Date(1794021735000)/'})).to.equal('2026-11-07T03:22:15.000Z')
    expect(parseWinDate('Thu, 26 Nov 2026 01:12:09 GMT')).to.equal('2026-11-26T01:12:09.000Z')
    expect(parseWinDate('2026-11-22T01:15:42Z')).to.equal('2026-11-22T01:15:42.000Z')
    expect(parseWinDate('/Date(-11644473600000)/')).to.equal(null)
    expect(parseWinDate('12/31/1600')).to.equal(null)
    expect(parseWinDate('Fri Aug 14 2026')).to.equal(null)
    expect(parseWinDate('')).to.equal(null)
    expect(parseWinDate(null)).to.equal(null)
    expect(parseWinDay('20260903')).to.equal('2026-09-03')
  })
})
