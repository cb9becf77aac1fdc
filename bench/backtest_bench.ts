/**
 * One 5-year backtest over SPY, QQQ and IWM of the sample market, data already loaded (the
 * IV-percentile table is built once, outside the timing, as the optimizer does), with
 * config/sample.toml: the spec's example values of config/spec_example.toml enter no trade on the
 * sample, so this configuration (the defaults before them) keeps the benchmark a real workload
 * and comparable across versions. Generates data/sample first when absent.
 *
 * Run: `deno task bench` (or `deno bench -A bench/backtest_bench.ts`).
 */
import { existsSync } from "node:fs";
import {
  buildChainStore,
  generateSample,
  ivPercentileTable,
  loadConfig,
  loadMarketData,
  paramsFromConfig,
  runBacktest,
  simulate,
} from "../lib/mod.ts";

if (!existsSync("data/sample")) generateSample({ outDir: "data/sample" });
const store = buildChainStore(loadMarketData("data/sample"));
const config = loadConfig("config/sample.toml");
const params = paramsFromConfig(config);
const ivPct = ivPercentileTable(store, params.ivHistoryDays);

Deno.bench("simulate: sample config, 2019-2024, SPY+QQQ+IWM (engine only)", () => {
  simulate(store, params, { ivPct });
});

Deno.bench("runBacktest: the same plus trade log, equity frame and metrics", () => {
  runBacktest(store, config);
});
