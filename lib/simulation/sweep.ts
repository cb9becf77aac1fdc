/**
 * Slippage sensitivity: re-runs a configuration over a range of slippage fractions and finds
 * where the edge (Sharpe, total P&L) disappears. A point's fraction is given up on every order
 * whatever its leg count: a vertical's two-leg orders, an iron condor's four-leg ones.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { MONTHS_PER_YEAR } from "../data/conventions.ts";
import { monthlyReturns, sharpeRatio } from "../stats/returns.ts";
import type { StrategyConfig } from "../strategy/config.ts";
import { ivPercentileTable } from "../strategy/iv_rank.ts";
import { paramsFromConfig } from "../strategy/params.ts";
import { firstEntryIndex } from "../strategy/tradable.ts";
import { simulate } from "./engine.ts";
import { windowIndexes } from "./window.ts";

/** One point of the sweep. */
export interface SweepPoint {
  /** Slippage fraction of the bid-ask, every order's (0 = mid, 1 = the far side). */
  slippage: number;
  /** Trades entered at this slippage. */
  trades: number;
  /** Total P&L, dollars. */
  total_pnl: number;
  /** Monthly Sharpe × √12 (null when undefined). */
  sharpe: number | null;
}

/** Result of {@link slippageSweep}. */
export interface SlippageSweep {
  /** One point per fraction, ascending. */
  points: SweepPoint[];
  /**
   * Slippage at which total P&L reaches zero, interpolated linearly between the bracketing
   * points; 0 when there is no edge even at the lowest slippage tested; null when P&L stays
   * positive throughout.
   */
  pnl_break_even: number | null;
  /** The same for the Sharpe ratio. */
  sharpe_break_even: number | null;
}

/** First crossing from > 0 to <= 0 along ascending x, linearly interpolated. */
function breakEven(xs: number[], ys: (number | null)[]): number | null {
  const first = ys[0];
  if (first === null || first <= 0) return xs[0];
  for (let i = 0; i + 1 < xs.length; i++) {
    const a = ys[i], b = ys[i + 1];
    if (a === null) return xs[i];
    if (b === null || b <= 0) {
      if (b === null) return xs[i + 1];
      return xs[i] + (xs[i + 1] - xs[i]) * a / (a - b);
    }
  }
  return null;
}

/**
 * Runs the configuration at each slippage fraction (ascending) of
 * `config.diagnostics.slippage_sweep` (or `fractions`).
 *
 * @param store the chain
 * @param config validated configuration
 * @param options `from` / `to` window and `fractions`
 * @returns P&L and Sharpe per fraction, and where each reaches zero
 *
 * @example Worse fills never help
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData } from "../mod.ts";
 * import { slippageSweep } from "./sweep.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-04-30", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const sweep = slippageSweep(store, loadConfig("config/test_config.toml"), { fractions: [1, 0] });
 * assert.deepEqual(sweep.points.map((p) => p.slippage), [0, 1]);
 * assert.ok(sweep.points[0].total_pnl > sweep.points[1].total_pnl);
 * ```
 *
 * @example At the configured slippage the Sharpe ratio is the backtest's (its tradable span)
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData, runBacktest,
 *   validateConfig } from "../mod.ts";
 * import { slippageSweep } from "./sweep.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2023-10-02", end: "2024-04-30", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const base = loadConfig("config/test_config.toml");
 * const config = validateConfig({ ...base, entry: { ...base.entry, iv_percentile_min: 10 } });
 * const sweep = slippageSweep(store, config, { fractions: [0.66] });
 * const run = runBacktest(store, config);
 * assert.ok(run.metrics.warmup_days > 0);
 * assert.equal(sweep.points[0].sharpe, run.metrics.sharpe);
 * ```
 */
export function slippageSweep(
  store: ChainStore,
  config: StrategyConfig,
  options: {
    from?: string;
    to?: string;
    fractions?: number[];
  } = {},
): SlippageSweep {
  const fractions = [...(options.fractions ?? config.diagnostics.slippage_sweep)].sort((a, b) =>
    a - b
  );
  const base = paramsFromConfig(config);
  const window = windowIndexes(store, options.from, options.to);
  const ivPct = ivPercentileTable(store, base.ivHistoryDays);
  // The Sharpe ratio covers the tradable span, as the metrics' does (no day of the window can
  // enter before the IV-percentile warm-up ends).
  const first = firstEntryIndex(store, base, ivPct, window);
  const skip = first < 0 ? window.toIndex - window.fromIndex + 1 : first - window.fromIndex;
  const days = store.calendar.subarray(window.fromIndex + skip, window.toIndex + 1);
  const points = fractions.map((s) => {
    const run = simulate(store, { ...base, slippage: [s, s, s, s] }, {
      ...window,
      ivPct,
      equityValuesOnly: true,
    });
    const values = run.equityValues.subarray(skip);
    const before = skip > 0 ? run.equityValues[skip - 1] : base.startingEquity;
    const monthly = monthlyReturns(days, values, before);
    return {
      slippage: s,
      trades: run.trades.length,
      total_pnl: run.trades.reduce((a, t) => a + t.pnlUsd, 0),
      sharpe: sharpeRatio(monthly, MONTHS_PER_YEAR, base.riskFreeRate),
    };
  });
  return {
    points,
    pnl_break_even: breakEven(fractions, points.map((p) => p.total_pnl)),
    sharpe_break_even: breakEven(fractions, points.map((p) => p.sharpe)),
  };
}
