// Where administrators open the dashboard, as `collector serve` prints it: the address it listens
// on, or, listening on every address, each name and address its server certificate is valid for
// (a browser given any other name would refuse the certificate).
import {X509Certificate} from 'node:crypto'
import {isIP} from 'node:net'

import {DASHBOARD_PREFIX} from './dashboard/routes.js'

const ANY_ADDRESS = new Set(['', '0.0.0.0', '::', '[::]', '::0'])

/** DNS names and IP addresses of the certificate's subjectAltName, in its order. */
export function certificateHosts(certPem: string): string[] {
  const names = new X509Certificate(certPem).subjectAltName ?? ''
  return names
    .split(', ')
    .map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry.trim())?.[1])
    .filter((host): host is string => host !== undefined)
}

function url(host: string, port: number): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1')
  // URL() writes an IPv6 address in its short form: 0:0:0:0:0:0:0:1 becomes [::1].
  return new URL(`https://${isIP(bare) === 6 ? `[${bare}]` : bare}:${port}${DASHBOARD_PREFIX}`).href
}

export function dashboardUrls(listenHost: string, port: number, serverCertPem: string): string[] {
  const hosts = ANY_ADDRESS.has(listenHost.trim()) ? certificateHosts(serverCertPem) : [listenHost]
  return [...new Set(hosts.map((host) => url(host, port)))]
}
