/**
 * Slippage sensitivity: re-runs a configuration over a range of two-leg slippage fractions and
 * finds where the edge (Sharpe, total P&L) disappears.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { ChainStore } from "../data/chain_store.ts";
import { type StrategyConfig, validateConfig } from "../strategy/config.ts";
import { runBacktest } from "./backtest.ts";

/** One point of the sweep. */
export interface SweepPoint {
  /** Two-leg slippage fraction of the bid-ask (0 = mid, 1 = the far side). */
  slippage: number;
  trades: number;
  total_pnl: number;
  /** Monthly Sharpe × √12 (null when undefined). */
  sharpe: number | null;
}

/** Result of {@link slippageSweep}. */
export interface SlippageSweep {
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
 * @param options `from` / `to` window and optional `fractions`
 */
export function slippageSweep(
  store: ChainStore,
  config: StrategyConfig,
  options: {
    from?: string;
    to?: string;
    fractions?: number[];
    bars?: Map<string, pl.DataFrame>;
  } = {},
): SlippageSweep {
  const fractions = [...(options.fractions ?? config.diagnostics.slippage_sweep)].sort((a, b) =>
    a - b
  );
  const points = fractions.map((s) => {
    const slippage = [...config.simulation.slippage_pct];
    slippage[1] = s;
    const swept = validateConfig({
      ...config,
      simulation: { ...config.simulation, slippage_pct: slippage },
    });
    const m = runBacktest(store, swept, options).metrics;
    return { slippage: s, trades: m.trade_count, total_pnl: m.total_pnl, sharpe: m.sharpe };
  });
  return {
    points,
    pnl_break_even: breakEven(fractions, points.map((p) => p.total_pnl)),
    sharpe_break_even: breakEven(fractions, points.map((p) => p.sharpe)),
  };
}
