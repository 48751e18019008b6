// Start-up that does not need luck (issue 14, 3a): a worker or an API whose Temporal or database is
// not up yet (a machine booting, a restart of either) waits and tries again instead of exiting.

/** The pause before attempt n + 1: 0.5 s, doubling, at most 5 s. */
export const retryPauseMs = (attempt: number): number => Math.min(5000, 500 * 2 ** attempt);

/**
 * Calls `attempt` until it succeeds, pausing between failures and saying so once per failure with
 * its reason. `isFatal` errors (a bad setting, a missing certificate) end the wait at once.
 */
export async function untilReady<T>(
  what: string,
  attempt: () => Promise<T>,
  opts: { log?: (line: string) => void; isFatal?: (e: unknown) => boolean } = {},
): Promise<T> {
  const log = opts.log ?? ((line: string) => console.warn(line));
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (opts.isFatal?.(e)) throw e;
      const pause = retryPauseMs(n);
      log(`${what} not reachable yet (${((e as Error).message ?? String(e)).split('\n')[0]}); trying again in ${(pause / 1000).toFixed(1)} s`);
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}
