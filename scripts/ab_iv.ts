/**
 * The implied-volatility kernel of two versions of Mahler timed in one process, alternately, on
 * `bench/pricing_bench.ts`'s one million mixed options: on a shared machine whose load moves by
 * the minute, alternating call by call gives both versions the same load. The options go through
 * `impliedVolArray` in blocks below its two-thread threshold, so this times the kernel on one
 * thread. Prints the best and the median rate of each, their ratio, and how many volatilities
 * differ between the versions (and by how much, relative).
 *
 * Usage:
 *   deno run -A scripts/ab_iv.ts OTHER_CHECKOUT [--rounds N]
 *
 * OTHER_CHECKOUT is a folder holding another version (e.g. a `git worktree` of the commit
 * before a change); this checkout is "this".
 *
 * @module
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { mixedOptions } from "../bench/_mixed_options.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { rounds: { type: "string", default: "10" } },
});
if (!positionals[0]) {
  console.error("Usage: ab_iv.ts OTHER_CHECKOUT [--rounds N]");
  Deno.exit(2);
}

const N = 1_000_000;
/** Options per call: below impliedVolArray's two-thread threshold (2^15). */
const BLOCK = 1 << 14;

interface Pricing {
  bsPriceArray: (o: Options, vols: Float64Array, opts: { rate: number }) => Float64Array;
  impliedVolArray: (
    o: Options,
    prices: Float64Array,
    opts: { rate: number; out: Float64Array },
  ) => Float64Array;
}
interface Options {
  types: Uint8Array;
  spots: Float64Array;
  strikes: Float64Array;
  years: Float64Array;
}

/** The pricing layer of a checkout. */
async function pricingOf(root: string): Promise<Pricing> {
  return await import(`file://${resolve(root)}/lib/pricing/mod.ts`);
}

const versions = [
  { name: "other", lib: await pricingOf(positionals[0]) },
  { name: "this", lib: await pricingOf(".") },
];

// bench/pricing_bench.ts's options.
const { types, spots, strikes, years, vols } = mixedOptions(N);
const prices = versions[0].lib.bsPriceArray({ types, spots, strikes, years }, vols, { rate: 0.02 });

/** Blocks of the options, as views. */
const blocks: Array<{ o: Options; p: Float64Array; from: number; to: number }> = [];
for (let from = 0; from < N; from += BLOCK) {
  const to = Math.min(N, from + BLOCK);
  blocks.push({
    o: {
      types: types.subarray(from, to),
      spots: spots.subarray(from, to),
      strikes: strikes.subarray(from, to),
      years: years.subarray(from, to),
    },
    p: prices.subarray(from, to),
    from,
    to,
  });
}

const outs = versions.map(() => new Float64Array(N));
const times = versions.map(() => [] as number[]);
const rounds = Number(values.rounds);
for (let round = -2; round < rounds; round++) {
  versions.forEach((v, k) => {
    const t0 = performance.now();
    for (const b of blocks) {
      v.lib.impliedVolArray(b.o, b.p, { rate: 0.02, out: outs[k].subarray(b.from, b.to) });
    }
    if (round >= 0) times[k].push(performance.now() - t0); // two rounds of warm-up
  });
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const rate = (ms: number) => (N / ms / 1000).toFixed(2);
versions.forEach((v, k) => {
  const s = sorted(times[k]);
  console.log(
    `${v.name}: best ${rate(s[0])} M/s, median ${rate(s[s.length >> 1])} M/s (one thread)`,
  );
});
const median = (k: number) => sorted(times[k])[times[k].length >> 1];
console.log(`this / other (medians): ${(median(0) / median(1)).toFixed(2)}x`);
let differ = 0;
let worst = 0;
for (let i = 0; i < N; i++) {
  const a = outs[0][i], b = outs[1][i];
  if (Object.is(a, b)) continue;
  differ++;
  worst = Math.max(worst, Math.abs(a - b) / Math.abs(a));
}
console.log(`volatilities that differ: ${differ} of ${N}, largest relative difference ${worst}`);
console.log(`load average: ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
