/**
 * Seconds spent per stage, for manifests.
 *
 * @module
 */

/**
 * A stopwatch: `lap(name)` records the seconds since the previous lap (or the start), rounded
 * to milliseconds, under `name`.
 *
 * @returns the recorder and the record it fills
 */
export function stopwatch(): { lap(name: string): void; timings: Record<string, number> } {
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  return {
    timings,
    lap(name: string) {
      const now = performance.now();
      timings[name] = Math.round(now - t0) / 1000;
      t0 = now;
    },
  };
}
