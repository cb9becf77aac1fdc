/**
 * The scanner over time and the entry funnel, as polars frames for notebooks: how many
 * candidates the scanner finds on sampled days beside that day's VIX, and what passed each entry
 * filter over whole runs of one or more configurations, side by side.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { ChainStore } from "../data/chain_store.ts";
import type { StrategyConfig } from "../strategy/config.ts";
import type { EntryFunnel } from "../strategy/funnel.ts";
import { ivPercentileTable } from "../strategy/iv_rank.ts";
import { paramsFromConfig } from "../strategy/params.ts";
import { scanCandidates } from "../strategy/scan.ts";
import { firstEntryIndex } from "../strategy/tradable.ts";
import { dateSeries } from "./_columns.ts";
import { vixRegime } from "./metrics.ts";

/** Options of {@link candidateCountsFrame}. */
export interface CandidateCountsOptions {
  /** Scan every n-th trading day (default 5). */
  every?: number;
}

/**
 * The scanner's candidates on every n-th trading day, from the first day an entry is possible
 * (after the IV-percentile warm-up) to the last, beside the day's VIX.
 *
 * @param store the chain
 * @param config the configuration scanned
 * @param options the sampling step
 * @returns date, candidates, vix (null when unknown), regime (VIX regime of the day)
 *
 * @example Every fifth day of a month of data
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData, scan } from "../mod.ts";
 * import { candidateCountsFrame } from "./scan_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-03-01", end: "2024-03-29", seed: 5 });
 * const store = buildChainStore(loadMarketData(dir));
 * const config = loadConfig("config/test_config.toml");
 * const counts = candidateCountsFrame(store, config).toRecords();
 * assert.equal(counts.length, Math.ceil(store.nDays / 5));
 * assert.equal(counts[1].candidates, scan(store, "2024-03-08", config).height);
 * ```
 */
export function candidateCountsFrame(
  store: ChainStore,
  config: StrategyConfig,
  options: CandidateCountsOptions = {},
): pl.DataFrame {
  const p = paramsFromConfig(config);
  const first = Math.max(0, firstEntryIndex(store, p, ivPercentileTable(store, p.ivHistoryDays)));
  const step = Math.max(1, Math.floor(options.every ?? 5));
  const days: number[] = [];
  const counts: number[] = [];
  const vix: Array<number | null> = [];
  for (let d = first; d < store.nDays; d += step) {
    days.push(store.calendar[d]);
    counts.push(scanCandidates(store, store.calendar[d], config).length);
    vix.push(store.getVix(store.calendar[d]));
  }
  return pl.DataFrame([
    dateSeries("date", days),
    pl.Series("candidates", Int32Array.from(counts)),
    pl.Series("vix", vix, pl.Float64),
    pl.Series("regime", vix.map((v) => vixRegime(v ?? NaN)), pl.Utf8),
  ]);
}

/** The funnel's stages in the scanner's order, with what each counts. */
const STAGES: Array<[key: keyof EntryFunnel, counts: string]> = [
  ["scans", "underlying-days scanned"],
  ["iv_percentile", "underlying-days with the IV percentile high enough"],
  ["dte", "expiries in the DTE band"],
  ["short_delta", "short legs in the delta band"],
  ["short_liquidity", "liquid short legs"],
  ["width", "spreads in the width band"],
  ["min_credit", "spreads with enough credit"],
  ["long_liquidity", "candidates (liquid long leg)"],
  ["entries", "positions entered"],
];

/**
 * Entry funnels side by side: what passed each entry filter, in the scanner's order, for each
 * named run (e.g. two configurations over the same data).
 *
 * @param funnels the runs' funnels by name (a backtest's `raw.funnel`)
 * @returns stage, counts (what the stage counts), then one column per run
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { funnelOf } from "../strategy/funnel.ts";
 * import { funnelFrame } from "./scan_frames.ts";
 * const a = funnelOf([100, 60, 120, 300, 250, 900, 0, 0, 0]);
 * const b = funnelOf([100, 80, 160, 500, 400, 1500, 300, 250, 40]);
 * const f = funnelFrame({ spec: a, sample: b });
 * assert.deepEqual(f.columns, ["stage", "counts", "spec", "sample"]);
 * assert.deepEqual(f.getColumn("sample").toArray().slice(-1), [40]);
 * ```
 */
export function funnelFrame(funnels: Record<string, EntryFunnel>): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("stage", STAGES.map(([k]) => k), pl.Utf8),
    pl.Series("counts", STAGES.map(([, c]) => c), pl.Utf8),
    ...Object.entries(funnels).map(([name, f]) =>
      pl.Series(name, Float64Array.from(STAGES, ([k]) => f[k]))
    ),
  ]);
}
