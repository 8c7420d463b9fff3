import type {TableSpec} from '../types.js'

export const spec: TableSpec = {
  name: 'antivirus',
  description: 'Anti-malware products found, whether they run and how fresh their signatures are.',
  platforms: ['linux', 'win32', 'darwin'],
  columns: [
    {name: 'name', type: 'text', description: 'Product name.'},
    {name: 'running', type: 'boolean', description: 'A process or service of the product is running.'},
    {name: 'realtime_enabled', type: 'boolean', description: 'Real-time (on-access) protection is on; null when unknown.'},
    {name: 'signatures_updated_at', type: 'datetime', description: 'ISO time of the last signature update, null when unknown.'},
    {name: 'signatures_age_days', type: 'integer', description: 'Whole days since signatures_updated_at, null when unknown.'},
    {name: 'up_to_date', type: 'boolean', description: 'The product itself says its signatures are current (SecurityCenter2 productState); null when unknown.'},
    {name: 'source', type: 'text', description: 'securitycenter2, defender, clamav, process, package…'},
  ],
}
