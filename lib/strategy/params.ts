/**
 * The flat numeric parameter set the scanner and engine read in their hot loops, derived once
 * from a configuration (and overridden per grid combination by the optimizer).
 *
 * @module
 */
import type { ReturnDiagnosticsOptions } from "../stats/diagnostics.ts";
import { type StrategyConfig, underlyingsOf } from "./config.ts";

/** Parameters of one simulation, all numbers and small arrays. */
export interface SimParams {
  /** Underlyings to trade, in priority order. */
  underlyings: string[];
  /** true: bull put spreads; false: bear call spreads. */
  putSide: boolean;
  dteMin: number;
  dteMax: number;
  /** Short-leg |delta| band. */
  deltaMin: number;
  deltaMax: number;
  /** Spread width band, dollars. */
  widthMin: number;
  widthMax: number;
  /** Minimum credit after slippage as a fraction of width. */
  minCreditPct: number;
  /** Minimum IV percentile (0-100); 0 turns the filter off. */
  ivPctMin: number;
  ivHistoryDays: number;
  minOpenInterest: number;
  minVolume: number;
  /** Maximum (ask - bid) / mid per leg. */
  maxBidAskPct: number;
  profitTargetPct: number;
  stopLossPct: number;
  dteExit: number;
  maxRiskPerTradePct: number;
  maxHeatPct: number;
  maxPositions: number;
  maxCorrelatedPct: number;
  /** Correlation groups as lists of tickers. */
  correlationGroups: string[][];
  /** Risk-per-trade contracts scaled by 1 - the VIX percentile rank ("vix_rank" sizing). */
  vixRankSizing: boolean;
  /** Look-back of the VIX percentile rank, trading days (default 252). */
  vixRankLookback: number;
  /** Circuit breakers: loss fractions and VIX level (NaN: off), and close on a loss halt. */
  dailyLossPct: number;
  weeklyLossPct: number;
  maxDrawdownPct: number;
  vixHaltLevel: number;
  closeOnHalt: boolean;
  startingEquity: number;
  commission: number;
  /** Slippage fraction for a two-leg order. */
  slippage2: number;
  /** Exit triggers on mid marks ("mid") or slippage-adjusted close cost ("fill"). */
  exitOnFill: boolean;
  maxEntriesPerDay: number;
  riskFreeRate: number;
  wExpectedValue: number;
  wIvPercentile: number;
  wDeltaDistance: number;
  wCreditWidth: number;
}

/**
 * Flattens a validated configuration into simulation parameters.
 *
 * @param config validated configuration
 * @returns the parameters the scanner and the engine read
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig } from "./config.ts";
 * import { paramsFromConfig } from "./params.ts";
 * const p = paramsFromConfig(loadConfig("config/default.toml"));
 * assert.deepEqual(p.underlyings, ["SPY", "QQQ", "IWM"]);
 * assert.equal(p.putSide, true);
 * assert.equal(p.slippage2, 0.66); // the two-leg fraction
 * ```
 */
export function paramsFromConfig(config: StrategyConfig): SimParams {
  const e = config.entry;
  const x = config.exit;
  const p = config.position_sizing;
  const s = config.simulation;
  const w = config.scoring;
  const r = config.risk;
  return {
    underlyings: underlyingsOf(config),
    putSide: config.strategy.strategy_type === "bull_put_spread",
    dteMin: e.dte_min,
    dteMax: e.dte_max,
    deltaMin: e.short_delta_min,
    deltaMax: e.short_delta_max,
    widthMin: e.spread_width_min,
    widthMax: e.spread_width_max,
    minCreditPct: e.min_credit_pct,
    ivPctMin: e.iv_percentile_min,
    ivHistoryDays: e.iv_history_days,
    minOpenInterest: e.min_open_interest,
    minVolume: e.min_volume,
    maxBidAskPct: e.max_bid_ask_pct,
    profitTargetPct: x.profit_target_pct,
    stopLossPct: x.stop_loss_pct,
    dteExit: x.dte_exit,
    maxRiskPerTradePct: p.max_risk_per_trade_pct,
    maxHeatPct: p.max_portfolio_heat_pct,
    maxPositions: p.max_positions,
    maxCorrelatedPct: p.max_correlated_exposure_pct,
    correlationGroups: p.correlation_groups,
    vixRankSizing: p.sizing === "vix_rank",
    vixRankLookback: p.vix_rank_lookback ?? 252,
    dailyLossPct: r?.daily_loss_pct ?? NaN,
    weeklyLossPct: r?.weekly_loss_pct ?? NaN,
    maxDrawdownPct: r?.max_drawdown_pct ?? NaN,
    vixHaltLevel: r?.vix_halt_level ?? NaN,
    closeOnHalt: r?.close_on_halt ?? true,
    startingEquity: s.starting_equity,
    commission: s.commission_per_contract,
    slippage2: s.slippage_pct[1],
    exitOnFill: s.exit_trigger === "fill",
    maxEntriesPerDay: s.max_entries_per_day,
    riskFreeRate: s.risk_free_rate,
    wExpectedValue: w.expected_value,
    wIvPercentile: w.iv_percentile,
    wDeltaDistance: w.delta_distance,
    wCreditWidth: w.credit_width,
  };
}

/**
 * The `[diagnostics]` settings as the options of the return diagnostics (PSR/DSR and the
 * bootstrap), with the configuration's risk-free rate (both are of excess returns).
 *
 * @param config validated configuration
 * @param trials trials behind the selection (1 for a plain run, the grid size for optimize)
 * @param trialVariance variance of the trials' per-day Sharpe ratios
 */
export function diagnosticsOptions(
  config: StrategyConfig,
  trials = 1,
  trialVariance = 0,
): ReturnDiagnosticsOptions {
  const d = config.diagnostics;
  return {
    trials,
    trialVariance,
    riskFreeRate: config.simulation.risk_free_rate,
    bootstrap: {
      resamples: d.bootstrap_resamples,
      meanBlock: d.bootstrap_mean_block,
      level: d.bootstrap_level,
      seed: d.seed,
    },
  };
}
