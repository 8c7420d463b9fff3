import type {TableSpec} from '../types.js'

export const spec: TableSpec = {
  name: 'office_activation',
  description: 'Microsoft Office licences with a product key (one row each) and whether they are activated; no rows when no Office licence is installed.',
  platforms: ['win32'],
  columns: [
    {name: 'product', type: 'text', description: 'Licence name, e.g. "Office 19, Office19ProPlus2019VL_KMS_Client_AE edition".'},
    {name: 'release', type: 'text', description: 'Office release from the description: 14 (2010), 15 (2013), 16 (2016 / Microsoft 365), 19, 21, 24.'},
    {name: 'channel', type: 'text', description: 'Licence channel from the description: RETAIL, VOLUME_KMSCLIENT, VOLUME_MAK, TIMEBASED_SUB, OEM…'},
    {name: 'genuine', type: 'boolean', description: 'Licensed (LicenseStatus 1).'},
    {name: 'license_status', type: 'text', description: 'Licence status name (licensed, notification, oob_grace…).'},
    {name: 'grace_period_ends', type: 'datetime', description: 'When the current activation or grace period runs out, null when it does not.'},
    {name: 'kms_host', type: 'text', description: 'KMS host of a volume licence: the licence’s own, the Office registry keys (64- and 32-bit), or the one last discovered.'},
    {name: 'kms_host_source', type: 'text', description: 'Where kms_host was read: licence, registry, registry-32, ospp-registry or discovered.'},
    {name: 'source', type: 'text', description: 'spp (SoftwareLicensingProduct, Office 2013 and later) or ospp (OfficeSoftwareProtectionProduct, Office 2010 / Windows 7).'},
  ],
}
