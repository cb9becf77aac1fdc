/**
 * Pricing throughput: implied volatility (Let's Be Rational) and Black-Scholes price + greeks
 * over one million mixed options. Per-option cost = reported time / 1,000,000.
 *
 * Run: `deno task bench` (or `deno bench -A bench/pricing_bench.ts`).
 */
import { bsGreeks, bsPrice, bsPriceArray, impliedVolArray } from "../lib/mod.ts";

const N = 1_000_000;

/** A deterministic mix of calls and puts, 1-730 days, 5%-150% vol, moneyness ±40%. */
function mixedOptions() {
  const types = new Uint8Array(N);
  const spots = new Float64Array(N);
  const strikes = new Float64Array(N);
  const years = new Float64Array(N);
  const vols = new Float64Array(N);
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  for (let i = 0; i < N; i++) {
    types[i] = rand() < 0.5 ? 0 : 1;
    spots[i] = 50 + 450 * rand();
    strikes[i] = spots[i] * (0.6 + 0.8 * rand());
    years[i] = (1 + Math.floor(730 * rand())) / 365;
    vols[i] = 0.05 + 1.45 * rand();
  }
  const options = { types, spots, strikes, years };
  const prices = bsPriceArray(options, vols, { rate: 0.02 });
  return { options, vols, prices };
}

const { options, vols, prices } = mixedOptions();
const ivOut = new Float64Array(N);
const priceOut = new Float64Array(N);

Deno.bench("impliedVolArray: 1M mixed options (Let's Be Rational)", () => {
  impliedVolArray(options, prices, { rate: 0.02, out: ivOut });
});

Deno.bench("bsPriceArray: 1M mixed options", () => {
  bsPriceArray(options, vols, { rate: 0.02, out: priceOut });
});

Deno.bench("bsPriceArray: 1M mixed options at zero rates (a backtest's default)", () => {
  bsPriceArray(options, vols, { out: priceOut });
});

Deno.bench("bsPrice + bsGreeks scalar calls: 1M mixed options", () => {
  let sink = 0;
  for (let i = 0; i < N; i++) {
    const type = options.types[i] ? "put" : "call";
    const S = options.spots[i], K = options.strikes[i], T = options.years[i], v = vols[i];
    sink += bsPrice(type, S, K, T, 0.02, v) + bsGreeks(type, S, K, T, 0.02, v).delta;
  }
  if (sink === 42) console.log(sink);
});
