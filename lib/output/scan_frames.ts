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
  ["iv_rank", "underlying-days with the IV rank high enough"],
  ["iv_hv_ratio", "underlying-days with the IV / HV ratio high enough"],
  ["vix", "underlying-days with the VIX in its band"],
  ["contango", "underlying-days in contango"],
  ["dte", "expiries in the DTE band"],
  ["ex_dividend", "call expiries skipped by avoid_ex_dividend_days"],
  ["short_delta", "short legs in the delta band"],
  ["short_liquidity", "liquid short legs"],
  ["width", "spreads in the width band"],
  ["min_credit", "spreads with enough credit"],
  ["long_liquidity", "candidates (liquid long leg)"],
  ["net_delta_skips", "candidates skipped by max_net_delta_pct"],
  ["net_theta_skips", "candidates skipped by min_net_theta"],
  ["underlying_risk_skips", "candidates skipped by max_risk_per_underlying_pct"],
  ["volume_share_skips", "candidates skipped by max_volume_share"],
  ["max_contracts_caps", "entries capped by max_contracts"],
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
  // The risk rules' stages only where some run had the rule on.
  const runs = Object.values(funnels);
  const stages = STAGES.filter(([k]) => runs.some((f) => f[k] !== undefined));
  return pl.DataFrame([
    pl.Series("stage", stages.map(([k]) => k), pl.Utf8),
    pl.Series("counts", stages.map(([, c]) => c), pl.Utf8),
    ...Object.entries(funnels).map(([name, f]) =>
      pl.Series(name, Float64Array.from(stages, ([k]) => f[k] ?? NaN))
    ),
  ]);
}

/** Options of {@link creditBoundFrame}. */
export interface CreditBoundOptions {
  /** Edges of the short-delta bands, ascending absolute deltas (default 0.05 to 0.35 by 0.05). */
  edges?: number[];
}

/**
 * What credit a spread can fetch against its short delta: the scanner's candidates grouped in
 * bands of the short leg's |delta|, with each band's best credit / width and the range of its
 * short strikes' risk-neutral P(ITM). A narrow spread's credit / width stays below that
 * probability (about the short delta), which is why a credit floor can be out of reach.
 *
 * @param candidates the scanner's frame (scan): short_delta, credit_pct_width and p_itm
 * @param options the band edges
 * @returns band ("0.10-0.15"), lower, upper, candidates, max_credit_width, min_p_itm, max_p_itm
 *   (null in a band without candidates), over_p_itm (candidates whose credit / width exceeds
 *   their own short strike's P(ITM)); a band holds lower ≤ |delta| < upper
 *
 * @example Two bands
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { creditBoundFrame } from "./scan_frames.ts";
 * const c = pl.DataFrame({ short_delta: [-0.12, -0.14, -0.22], credit_pct_width: [0.09, 0.11, 0.19],
 *   p_itm: [0.13, 0.16, 0.25] });
 * const f = creditBoundFrame(c, { edges: [0.1, 0.15, 0.2] }).toRecords();
 * assert.deepEqual(f.map((r) => r.band), ["0.10-0.15", "0.15-0.20"]);
 * assert.deepEqual([f[0].candidates, f[0].max_credit_width, f[0].max_p_itm], [2, 0.11, 0.16]);
 * assert.equal(f[0].over_p_itm, 0);
 * assert.equal(f[1].candidates, 0);
 * assert.equal(f[1].max_credit_width, null);
 * ```
 */
export function creditBoundFrame(
  candidates: pl.DataFrame,
  options: CreditBoundOptions = {},
): pl.DataFrame {
  const edges = options.edges ?? [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35];
  const delta = candidates.getColumn("short_delta").toArray() as number[];
  const creditWidth = candidates.getColumn("credit_pct_width").toArray() as number[];
  const pItm = candidates.getColumn("p_itm").toArray() as number[];
  const bands = edges.slice(0, -1).map((lower, k) => {
    const upper = edges[k + 1];
    const rows = delta.map((d, i) => [Math.abs(d), i]).filter(([d]) => d >= lower && d < upper)
      .map(([, i]) => i);
    const best = (xs: number[], pick: (...v: number[]) => number) =>
      rows.length ? pick(...rows.map((i) => xs[i])) : null;
    return {
      band: `${lower.toFixed(2)}-${upper.toFixed(2)}`,
      lower,
      upper,
      candidates: rows.length,
      max_credit_width: best(creditWidth, Math.max),
      min_p_itm: best(pItm, Math.min),
      max_p_itm: best(pItm, Math.max),
      over_p_itm: rows.filter((i) => creditWidth[i] > pItm[i]).length,
    };
  });
  return pl.DataFrame([
    pl.Series("band", bands.map((b) => b.band), pl.Utf8),
    pl.Series("lower", bands.map((b) => b.lower), pl.Float64),
    pl.Series("upper", bands.map((b) => b.upper), pl.Float64),
    pl.Series("candidates", bands.map((b) => b.candidates), pl.Int32),
    pl.Series("max_credit_width", bands.map((b) => b.max_credit_width), pl.Float64),
    pl.Series("min_p_itm", bands.map((b) => b.min_p_itm), pl.Float64),
    pl.Series("max_p_itm", bands.map((b) => b.max_p_itm), pl.Float64),
    pl.Series("over_p_itm", bands.map((b) => b.over_p_itm), pl.Int32),
  ]);
}
