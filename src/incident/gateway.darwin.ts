// `route -n get default` on macOS: "    gateway: 192.168.1.1" (absent when there is no default route).
export function parseRouteGet(text: string): null | string {
  const match = /^\s*gateway:\s*(\S+)\s*$/m.exec(text)
  return match?.[1] ?? null
}
