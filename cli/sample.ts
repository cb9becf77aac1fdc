/**
 * `sample`: writes the deterministic sample market (the default) or the full-density market
 * (`--profile full`); and the sample on demand for commands that default to it.
 *
 * @module
 */
import { ensureSampleData, generateFullMarket, generateSample } from "../lib/core.ts";
import { dateFlag, parseFlags, UsageError } from "./args.ts";

/** Where the sample market lives. */
export const SAMPLE_DIR = "data/sample";

/** Where the full-density market lives by default. */
export const FULL_DIR = "data/full";

/** Generates the sample market when it is absent, saying so on stderr. */
export function ensureSample(): void {
  const written = ensureSampleData(SAMPLE_DIR, {
    onGenerate: (replacing) =>
      console.error(
        replacing
          ? `Generating the sample market in ${SAMPLE_DIR} again (seed 42): it was written by an earlier version of the generator...`
          : `Generating the sample market in ${SAMPLE_DIR} (seed 42)...`,
      ),
  });
  if (written) {
    console.error(`Wrote ${written.rows} contract rows over ${written.days} trading days.`);
  }
}

/**
 * `sample [--out DIR] [--seed N] [--profile sample|full] [--from DATE] [--to DATE]`: the default
 * sample (SPY, QQQ, IWM, 2019-2024) or, with `--profile full`, the full-density market (default
 * 2007-01-01 to 2023-12-31 in data/full).
 */
export async function sampleCommand(args: string[]): Promise<void> {
  const v = parseFlags(args, {
    out: { type: "string" },
    seed: { type: "string" },
    profile: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
  });
  const seed = v.seed === undefined ? 42 : Number(v.seed);
  if (!Number.isInteger(seed)) {
    throw new UsageError(`--seed must be an integer, got ${JSON.stringify(v.seed)}`);
  }
  const profile = v.profile === undefined ? "sample" : String(v.profile);
  if (profile !== "sample" && profile !== "full") {
    throw new UsageError(`--profile must be sample or full, got ${JSON.stringify(profile)}`);
  }
  const from = dateFlag("from", v.from);
  const to = dateFlag("to", v.to);
  if (from && to && from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const t0 = performance.now();
  const s = profile === "full"
    ? await generateFullMarket({
      outDir: v.out ? String(v.out) : FULL_DIR,
      seed,
      start: from,
      end: to,
      onProgress: ({ file, rows }) =>
        console.error(`  ${file}: ${rows.toLocaleString("en-US")} rows so far`),
    })
    : generateSample({ outDir: v.out ? String(v.out) : SAMPLE_DIR, seed, start: from, end: to });
  console.log(
    `Wrote ${s.rows} contract rows, ${s.days} trading days, ${s.files.length} files to ${s.outDir} in ${
      ((performance.now() - t0) / 1000).toFixed(1)
    } s`,
  );
}
