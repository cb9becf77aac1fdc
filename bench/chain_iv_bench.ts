/**
 * Implied volatility of one million real workload quotes: the first million unflagged rows of
 * the sample chain with DTE > 0, inverted from their mid prices (r = 0). Generates data/sample
 * first when absent.
 *
 * Run: `deno bench -A bench/chain_iv_bench.ts`.
 */
import { existsSync } from "node:fs";
import { buildChainStore, generateSample, impliedVolArray, loadMarketData } from "../lib/mod.ts";

if (!existsSync("data/sample")) generateSample({ outDir: "data/sample" });
const store = buildChainStore(loadMarketData("data/sample"));
const c = store.columns;
const N = 1_000_000;
const types = new Uint8Array(N);
const spots = new Float64Array(N);
const strikes = new Float64Array(N);
const years = new Float64Array(N);
const prices = new Float64Array(N);
let n = 0;
for (let i = 0; i < store.rowCount && n < N; i++) {
  const dte = c.expiry[i] - c.day[i];
  if (c.flags[i] !== 0 || dte <= 0) continue;
  types[n] = c.type[i];
  spots[n] = c.stockPrice[i];
  strikes[n] = c.strike[i];
  years[n] = dte / 365;
  prices[n] = c.mid[i];
  n++;
}
const out = new Float64Array(N);

Deno.bench("impliedVolArray: 1M sample-chain mids", () => {
  impliedVolArray({ types, spots, strikes, years }, prices, { out });
});
