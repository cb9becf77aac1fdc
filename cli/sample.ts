/**
 * `sample`: writes the deterministic sample market; and the sample on demand for commands that
 * default to it.
 *
 * @module
 */
import { ensureSampleData, generateSample } from "../lib/mod.ts";
import { parseFlags, UsageError } from "./args.ts";

/** Where the sample market lives. */
export const SAMPLE_DIR = "data/sample";

/** Generates the sample market when it is absent, saying so on stderr. */
export function ensureSample(): void {
  const written = ensureSampleData(SAMPLE_DIR, {
    onGenerate: () => console.error(`Generating the sample market in ${SAMPLE_DIR} (seed 42)...`),
  });
  if (written) {
    console.error(`Wrote ${written.rows} contract rows over ${written.days} trading days.`);
  }
}

/** `sample [--out DIR] [--seed N]`. */
export function sampleCommand(args: string[]): void {
  const v = parseFlags(args, { out: { type: "string" }, seed: { type: "string" } });
  const seed = v.seed === undefined ? 42 : Number(v.seed);
  if (!Number.isInteger(seed)) {
    throw new UsageError(`--seed must be an integer, got ${JSON.stringify(v.seed)}`);
  }
  const t0 = performance.now();
  const s = generateSample({ outDir: v.out ? String(v.out) : SAMPLE_DIR, seed });
  console.log(
    `Wrote ${s.rows} contract rows, ${s.days} trading days, ${s.files.length} files to ${s.outDir} in ${
      ((performance.now() - t0) / 1000).toFixed(1)
    } s`,
  );
}
