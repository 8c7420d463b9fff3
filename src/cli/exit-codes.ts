// The exit codes of DESIGN.md, the same for every command.
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  nonCompliant: 3,
  unreachable: 4,
} as const
