import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, ddeLock, desktopFamily, gnomeLock, kdeLock, minutesLock, parseGsettingsList, parseSessionIds, parseShowSessions} from '../../../src/facts/screen-lock/screen-lock.linux.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'
import {fakeRoot, removeFakeRoots} from '../linux/fake-root.js'

const PROPS = ['Id', 'User', 'Name', 'Type', 'Class', 'Active', 'Desktop'].flatMap((p) => ['-p', p])
const LIST = 'loginctl list-sessions --no-legend'
const show = (...ids: string[]): string => ['loginctl', 'show-session', ...ids, ...PROPS].join(' ')
const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nkylin:x:1000:1000:kylin,,,:/home/kylin:/bin/bash\n'
const logind = {'etc/passwd': PASSWD, 'run/systemd/sessions/2': 'UID=1000\n'}

describe('screen_lock (linux)', () => {
  after(removeFakeRoots)

  it('parses logind sessions and keeps graphical user sessions', () => {
    expect(parseSessionIds(fixture('linux/loginctl-list-sessions.txt'))).to.deep.equal(['2', 'c1', '5'])
    expect(parseShowSessions(fixture('linux/loginctl-show-session.txt'))).to.deep.equal([{active: true, desktop: 'ukui', id: '2', type: 'x11', uid: 1000, user: 'kylin'}])
  })

  it('desktopFamily picks whose settings to read', () => {
    expect(['ubuntu:GNOME', 'ukui', 'deepin', 'KDE', 'mate', '', 'xfce'].map(desktopFamily)).to.deep.equal(['gnome', 'ukui', 'dde', 'kde', 'mate', 'gnome', null])
  })

  it('GNOME: locks after idle-delay plus lock-delay seconds', () => {
    const saver = parseGsettingsList(fixture('linux/gsettings-gnome-screensaver.txt'))
    expect(saver.get('lock-delay')).to.equal('0')
    expect(gnomeLock(saver, fixture('linux/gsettings-gnome-idle-delay.txt'))).to.deep.equal({enabled: true, timeout_seconds: 300})
    expect(gnomeLock(saver, 'uint32 0')).to.deep.equal({enabled: false, timeout_seconds: null})
    expect(gnomeLock(new Map([...saver, ['lock-enabled', 'false']]), 'uint32 300').enabled).to.equal(false)
  })

  it('UKUI: idle-delay and lock-delay count minutes', () => {
    expect(minutesLock(parseGsettingsList(fixture('linux/gsettings-ukui-screensaver.txt')), fixture('linux/gsettings-ukui-idle-delay.txt'))).to.deep.equal({enabled: true, timeout_seconds: 900})
  })

  it('DDE: locks by line-power-lock-delay, or when the screen turns off with screen-black-lock', () => {
    expect(ddeLock(parseGsettingsList(fixture('linux/gsettings-dde-power-default.txt')))).to.deep.equal({enabled: true, timeout_seconds: 900})
    expect(ddeLock(parseGsettingsList(fixture('linux/gsettings-dde-power-locking.txt')))).to.deep.equal({enabled: true, timeout_seconds: 600})
    expect(ddeLock(new Map([['line-power-lock-delay', '0'], ['screen-black-lock', 'false'], ['line-power-screen-black-delay', '900']]))).to.deep.equal({enabled: false, timeout_seconds: null})
  })

  it('KDE: kscreenlockerrc, with Plasma\'s defaults when unset', () => {
    expect(kdeLock(fixture('linux/kscreenlockerrc-autolock-off'))).to.deep.equal({enabled: false, timeout_seconds: null})
    expect(kdeLock(fixture('linux/kscreenlockerrc-timeout-10'))).to.deep.equal({enabled: true, timeout_seconds: 600})
    expect(kdeLock(null)).to.deep.equal({enabled: true, timeout_seconds: 300})
  })

  it('collect reads the 银河麒麟 desktop user\'s UKUI settings through runuser', async () => {
    const exec = fakeExec({
      [LIST]: fixture('linux/loginctl-list-sessions.txt'),
      // uid 4242: never the uid these tests run as, so gsettings must run as the user.
      [show('2', 'c1', '5')]: fixture('linux/loginctl-show-session.txt').replace('User=1000', 'User=4242'),
      'runuser -u kylin -- gsettings get org.ukui.session idle-delay': fixture('linux/gsettings-ukui-idle-delay.txt'),
      'runuser -u kylin -- gsettings list-recursively org.ukui.screensaver': fixture('linux/gsettings-ukui-screensaver.txt'),
    })
    const rows = await collect(testContext('linux', {exec, isAdmin: async () => true}), fakeRoot(logind))
    expect(rows).to.deep.equal([{desktop: 'ukui', enabled: true, source: 'gsettings', timeout_seconds: 900, user: 'kylin'}])
  })

  it('collect reads KDE\'s file without running anything as the user', async () => {
    const exec = fakeExec({[LIST]: '  3 1000 kylin seat0 tty2\n', [show('3')]: 'Id=3\nUser=1000\nName=kylin\nDesktop=KDE\nType=wayland\nClass=user\nActive=yes\n'})
    const root = fakeRoot({...logind, 'home/kylin/.config/kscreenlockerrc': fixture('linux/kscreenlockerrc-timeout-10')})
    expect(await collect(testContext('linux', {exec}), root)).to.deep.equal([{desktop: 'kde', enabled: true, source: 'kscreenlockerrc', timeout_seconds: 600, user: 'kylin'}])
  })

  it('collect is unsupported without logind or without a graphical session', async () => {
    const none = await collect(testContext('linux', {exec: fakeExec({})}), fakeRoot({})).catch((e: unknown) => e)
    expect((none as FactError).kind).to.equal('unsupported')
    expect((none as FactError).message).to.equal('no desktop session: screen lock applies to a graphical login')
    const exec = fakeExec({[LIST]: '  5 0 root pts/1\n', [show('5')]: 'Id=5\nUser=0\nName=root\nDesktop=\nType=tty\nClass=user\nActive=yes\n'})
    const tty = await collect(testContext('linux', {exec}), fakeRoot(logind)).catch((e: unknown) => e)
    expect((tty as FactError).kind).to.equal('unsupported')
  })

  it('collect needs root to read another user\'s settings', async () => {
    // uid 4242: never the uid these tests run as.
    const exec = fakeExec({[LIST]: fixture('linux/loginctl-list-sessions.txt'), [show('2', 'c1', '5')]: fixture('linux/loginctl-show-session.txt').replace('User=1000', 'User=4242')})
    const error = await collect(testContext('linux', {exec, isAdmin: async () => false}), fakeRoot(logind)).catch((e: unknown) => e)
    expect((error as FactError).kind).to.equal('permission')
    expect((error as FactError).message).to.equal("needs administrator/root: read kylin's desktop settings")
  })

  it('collect names desktops it cannot read', async () => {
    const exec = fakeExec({[LIST]: '  3 1000 kylin seat0 tty2\n', [show('3')]: 'Id=3\nUser=1000\nName=kylin\nDesktop=xfce\nType=x11\nClass=user\nActive=yes\n'})
    const error = await collect(testContext('linux', {exec}), fakeRoot(logind)).catch((e: unknown) => e)
    expect((error as FactError).message).to.match(/xfce desktop is not read/)
  })
})
