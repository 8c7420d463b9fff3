// Windows %VAR% references (REG_EXPAND_SZ values), expanded against a given profile's environment,
// which is not nm-guard's own when it runs as SYSTEM for another user.

/** `value` with each %NAME% replaced from `vars` (names upper-cased); null when one is unknown. */
export function expandEnv(value: string, vars: Record<string, null | string>): null | string {
  let unknown = false
  const out = value.replaceAll(/%([^%]+)%/g, (whole, name: string) => {
    const v = vars[name.toUpperCase()]
    if (v === null || v === undefined) unknown = true
    return v ?? whole
  })
  return unknown ? null : out
}
