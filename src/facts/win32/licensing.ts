// What Windows' Software Protection Platform reports, shared by the Windows and Office activation tables.

/** SL_LICENSING_STATUS, as SoftwareLicensingProduct.LicenseStatus gives it (ospp.vbs prints the same names). */
const LICENSE_STATUS: Record<number, string> = {
  0: 'unlicensed',
  1: 'licensed',
  2: 'oob_grace',
  3: 'oot_grace',
  4: 'non_genuine_grace',
  5: 'notification',
  6: 'extended_grace',
}

export const licenseStatusName = (status: null | number): null | string => (status === null ? null : (LICENSE_STATUS[status] ?? `status_${status}`))
