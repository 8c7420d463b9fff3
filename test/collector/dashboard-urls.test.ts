import {expect} from 'chai'

import {certificateHosts, dashboardUrls} from '../../src/collector/dashboard-urls.js'
import {createCa, createServerCert} from '../../src/collector/pki.js'

describe('dashboard URLs printed by collector serve', function () {
  this.timeout(30_000)
  const cert = createServerCert(createCa(), ['collector.gc.gov.cn', '10.13.0.5', '::1']).certPem

  it('lists every name and address of the server certificate when listening on all addresses', () => {
    expect(certificateHosts(cert)).to.deep.equal(['collector.gc.gov.cn', '10.13.0.5', '0:0:0:0:0:0:0:1'])
    const all = ['https://collector.gc.gov.cn:8443/dashboard', 'https://10.13.0.5:8443/dashboard', 'https://[::1]:8443/dashboard']
    expect(dashboardUrls('0.0.0.0', 8443, cert)).to.deep.equal(all)
    expect(dashboardUrls('::', 8443, cert)).to.deep.equal(all)
  })

  it('names the one address it listens on otherwise', () => {
    expect(dashboardUrls('10.13.0.5', 9443, cert)).to.deep.equal(['https://10.13.0.5:9443/dashboard'])
    expect(dashboardUrls('::1', 9443, cert)).to.deep.equal(['https://[::1]:9443/dashboard'])
  })
})
