/**
 * The small market the fault kinds run on (SPY, QQQ and IWM, January to June 2024, seed 3,
 * generated once per process into a temporary folder) and a warm cache of it.
 *
 * @module
 */
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSample } from "../../lib/sample/mod.ts";
import { CONFIG, expect, mahler } from "./_common.ts";

/** A work folder with the market and a warm cache. */
export interface Market {
  /** The work folder (remove it when done). */
  work: string;
  /** The market's data folder. */
  data: string;
  /** A cache folder holding the market's entry (copy it before damaging it). */
  cache: string;
}

/** Generates the market into a new work folder and warms a cache with one `run`. */
export async function market(prefix: string): Promise<Market> {
  const work = mkdtempSync(join(tmpdir(), `mahler-faults-${prefix}-`));
  const data = join(work, "data");
  generateSample({ outDir: data, start: "2024-01-02", end: "2024-06-28", seed: 3 });
  const cache = join(work, "cache");
  const warm = await mahler(
    ["run", "--config", CONFIG, "--data", data, "--out", join(work, "warm")],
    { MAHLER_CACHE_DIR: cache },
  );
  expect(warm.code === 0, `warming the cache failed: ${warm.stderr}`);
  return { work, data, cache };
}

/** A copy of the warm cache at `to`. */
export function copyCache(m: Market, to: string): string {
  cpSync(m.cache, to, { recursive: true });
  return to;
}
