// The crash test's seam: with NMG_HOLD_AFTER=<phase>, disconnect stops right after that phase
// (journal durable, nothing after it done) and waits to be killed, so "SIGKILL right after the
// journal write" is a deterministic point rather than a race. Unset, it costs one comparison.
export async function holdPoint(phase: string, env: Record<string, string | undefined> = process.env): Promise<void> {
  if (env.NMG_HOLD_AFTER !== phase) return
  process.stderr.write(`nm-guard: holding after ${phase} (NMG_HOLD_AFTER)\n`)
  await new Promise(() => setInterval(() => {}, 60_000))
}
