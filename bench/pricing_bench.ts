/**
 * Pricing throughput: implied volatility (Let's Be Rational) and Black-Scholes price + greeks
 * over one million mixed options. Per-option cost = reported time / 1,000,000.
 *
 * Run: `deno task bench` (or `deno bench -A bench/pricing_bench.ts`).
 */
import { bsGreeks, bsPrice, bsPriceArray, impliedVolArray } from "../lib/mod.ts";
import { mixedOptions } from "./_mixed_options.ts";

const N = 1_000_000;

/** The mixed options with their prices at r = 2%. */
function pricedOptions() {
  const { types, spots, strikes, years, vols } = mixedOptions(N);
  const options = { types, spots, strikes, years };
  const prices = bsPriceArray(options, vols, { rate: 0.02 });
  return { options, vols, prices };
}

const { options, vols, prices } = pricedOptions();
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
