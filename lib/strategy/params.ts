/**
 * The flat numeric parameter set the scanner and engine read in their hot loops, derived once
 * from a configuration (and overridden per grid combination by the optimizer).
 *
 * @module
 */
import type { ReturnDiagnosticsOptions } from "../stats/diagnostics.ts";
import { callEntryOf, type StrategyConfig, strategyTypesOf, underlyingsOf } from "./config.ts";

/**
 * What the scanner looks for: bull put spreads, bear call spreads, both (each its own
 * position), or iron condors.
 */
export type StrategyKind = "bull_put" | "bear_call" | "both" | "iron_condor";

/** The entry filters of one side: its short leg's delta band, its width band, credit, liquidity. */
export interface SideParams {
  /** true: the put side (a bull put spread's legs); false: the call side. */
  isPut: boolean;
  /** Lower bound of the short leg's |delta| band. */
  deltaMin: number;
  /** Upper bound of the short leg's |delta| band. */
  deltaMax: number;
  /** Narrowest width, dollars. */
  widthMin: number;
  /** Widest width, dollars. */
  widthMax: number;
  /**
   * Minimum credit after slippage as a fraction of width (a vertical's; an iron condor's credit
   * filter is the order's: the put side's value on the total credit over the wider width).
   */
  minCreditPct: number;
  /** Minimum open interest of each leg, contracts. */
  minOpenInterest: number;
  /** Minimum volume of each leg, contracts. */
  minVolume: number;
  /** Maximum (ask - bid) / mid per leg. */
  maxBidAskPct: number;
}

/** Parameters of one simulation, all numbers and small arrays. */
export interface SimParams {
  /** Underlyings to trade, in priority order. */
  underlyings: string[];
  /** The strategy: one vertical, both, or iron condors. */
  strategy: StrategyKind;
  /** Shortest DTE of an expiry, calendar days (both sides). */
  dteMin: number;
  /** Longest DTE of an expiry, calendar days (both sides). */
  dteMax: number;
  /** The put side's filters (`[entry]`). */
  put: SideParams;
  /** The call side's filters (`[entry]` with `[entry.call]` over it). */
  call: SideParams;
  /** Minimum IV percentile (0-100); 0 turns the filter off. */
  ivPctMin: number;
  /** IV percentile look-back, trading days. */
  ivHistoryDays: number;
  /** Close when the position's value falls to credit × (1 − this). */
  profitTargetPct: number;
  /** Close when the position's value reaches credit × (1 + this). */
  stopLossPct: number;
  /** Close when 0 < DTE ≤ this. */
  dteExit: number;
  /** Max loss of a new position as a share of equity. */
  maxRiskPerTradePct: number;
  /** Sum of open max losses (the heat) as a share of equity, at most. */
  maxHeatPct: number;
  /** Open positions at most. */
  maxPositions: number;
  /** A correlation group's open max loss as a share of the heat budget, at most. */
  maxCorrelatedPct: number;
  /** Correlation groups as lists of tickers. */
  correlationGroups: string[][];
  /** Risk-per-trade contracts scaled by 1 - the VIX percentile rank ("vix_rank" sizing). */
  vixRankSizing: boolean;
  /** Look-back of the VIX percentile rank, trading days (default 252). */
  vixRankLookback: number;
  /** Daily loss halt, a fraction of equity (NaN: off). */
  dailyLossPct: number;
  /** Weekly loss halt, a fraction of equity (NaN: off). */
  weeklyLossPct: number;
  /** Drawdown halt, a fraction of the running peak (NaN: off). */
  maxDrawdownPct: number;
  /** No entries on a day whose VIX close is above this (NaN: off). */
  vixHaltLevel: number;
  /** Whether a daily or weekly loss halt closes every open position. */
  closeOnHalt: boolean;
  /** Dollars. */
  startingEquity: number;
  /** Dollars per contract per leg. */
  commission: number;
  /**
   * Slippage fraction by an order's leg count: `slippage[n - 1]` for n legs (ORATS: 0.75,
   * 0.66, 0.56, 0.53).
   */
  slippage: readonly number[];
  /** Exit triggers on mid marks ("mid") or slippage-adjusted close cost ("fill"). */
  exitOnFill: boolean;
  /** New positions a day at most. */
  maxEntriesPerDay: number;
  /** Annual decimal: P(ITM), the expected value and the Sharpe ratios. */
  riskFreeRate: number;
  /**
   * Call sides whose expiry spans an ex-dividend date at most this many calendar days after
   * the entry day are skipped (absent or 0: off). Absent when the configuration leaves it out,
   * so that the parameters a shard's partial file records are as they were.
   */
  avoidExDividendDays?: number;
  /** Dollars per contract of an early assignment's stock trade (absent: 0). */
  stockCommission?: number;
  /** Score weight of EV / max loss. */
  wExpectedValue: number;
  /** Score weight of IV percentile / 100. */
  wIvPercentile: number;
  /** Score weight of the short delta's distance below its band's top. */
  wDeltaDistance: number;
  /** Score weight of credit / width. */
  wCreditWidth: number;
  /** The risk rules (rules_config.ts); absent when every one of them is off. */
  rules?: RuleParams;
}

/**
 * The risk rules' parameters of a configuration (NaN or false where a key is absent), or
 * undefined when every rule is off (so that a run's parameters are as without them).
 *
 * @param config validated configuration
 * @returns the rules' parameters, or undefined
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig, validateConfig } from "./config.ts";
 * import { ruleParamsOf } from "./params.ts";
 * const base = loadConfig("config/default.toml");
 * assert.equal(ruleParamsOf(base), undefined);
 * const held = validateConfig({ ...base, exit: { ...base.exit, max_days_held: 21 } });
 * assert.equal(ruleParamsOf(held)!.maxDaysHeld, 21);
 * assert.ok(Number.isNaN(ruleParamsOf(held)!.maxContracts));
 * ```
 */
export function ruleParamsOf(config: StrategyConfig): RuleParams | undefined {
  const e = config.entry;
  const x = config.exit;
  const s = config.position_sizing;
  const r: RuleParams = {
    ivRankMin: e.iv_rank_min ?? 0,
    ivHvRatioMin: e.iv_hv_ratio_min ?? NaN,
    vixMin: e.vix_min ?? NaN,
    vixMax: e.vix_max ?? NaN,
    requireContango: e.require_contango ?? false,
    dteExitFirst: x.dte_exit_first ?? false,
    maxDaysHeld: x.max_days_held ?? NaN,
    trailingActivationPct: x.trailing_activation_pct ?? NaN,
    trailingGivebackPct: x.trailing_giveback_pct ?? NaN,
    maxNetDeltaPct: s.max_net_delta_pct ?? NaN,
    minNetTheta: s.min_net_theta ?? NaN,
    maxRiskPerUnderlyingPct: s.max_risk_per_underlying_pct ?? NaN,
    maxContracts: s.max_contracts ?? NaN,
    maxVolumeShare: s.max_volume_share ?? NaN,
  };
  const on = r.ivRankMin > 0 || r.requireContango || r.dteExitFirst ||
    Object.entries(r).some(([k, v]) => k !== "ivRankMin" && typeof v === "number" && v === v);
  return on ? r : undefined;
}

/** The risk rules' parameters (rules_config.ts): NaN or false where a rule is off. */
export interface RuleParams {
  /** Minimum min-max IV rank, 0-100 (0: off). */
  ivRankMin: number;
  /** Minimum 30-day ATM IV / 20-day realized volatility (NaN: off). */
  ivHvRatioMin: number;
  /** Lowest VIX close of an entry day (NaN: off). */
  vixMin: number;
  /** Highest VIX close of an entry day (NaN: off). */
  vixMax: number;
  /** Enter only when the front expiry's ATM IV is at or below the next one's. */
  requireContango: boolean;
  /** Check the DTE exit before the profit target and the stop. */
  dteExitFirst: boolean;
  /** Close after this many calendar days held (NaN: off). */
  maxDaysHeld: number;
  /** The trailing stop activates at this profit, a share of the credit (NaN: off). */
  trailingActivationPct: number;
  /** The trailing stop closes when the profit gives back this share of its peak (NaN: off). */
  trailingGivebackPct: number;
  /** |Net dollar delta| after an entry within this share of equity (NaN: off). */
  maxNetDeltaPct: number;
  /** Net theta after an entry at least this, dollars per day (NaN: off). */
  minNetTheta: number;
  /** An underlying's open max loss within this share of equity (NaN: off). */
  maxRiskPerUnderlyingPct: number;
  /** Contracts of a position at most (NaN: off). */
  maxContracts: number;
  /** Contracts of each leg at most this share of its volume that day (NaN: off). */
  maxVolumeShare: number;
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
 * assert.equal(p.strategy, "bull_put");
 * assert.equal(p.slippage[1], 0.66); // the two-leg fraction
 * assert.equal(p.call.deltaMax, p.put.deltaMax); // no [entry.call]: both sides alike
 * ```
 */
export function paramsFromConfig(config: StrategyConfig): SimParams {
  const e = config.entry;
  const c = callEntryOf(config);
  const x = config.exit;
  const p = config.position_sizing;
  const s = config.simulation;
  const w = config.scoring;
  const r = config.risk;
  return {
    underlyings: underlyingsOf(config),
    strategy: strategyKindOf(config),
    dteMin: e.dte_min,
    dteMax: e.dte_max,
    put: {
      isPut: true,
      deltaMin: e.short_delta_min,
      deltaMax: e.short_delta_max,
      widthMin: e.spread_width_min,
      widthMax: e.spread_width_max,
      minCreditPct: e.min_credit_pct,
      minOpenInterest: e.min_open_interest,
      minVolume: e.min_volume,
      maxBidAskPct: e.max_bid_ask_pct,
    },
    call: {
      isPut: false,
      deltaMin: c.short_delta_min,
      deltaMax: c.short_delta_max,
      widthMin: c.spread_width_min,
      widthMax: c.spread_width_max,
      minCreditPct: c.min_credit_pct,
      minOpenInterest: c.min_open_interest,
      minVolume: c.min_volume,
      maxBidAskPct: c.max_bid_ask_pct,
    },
    ivPctMin: e.iv_percentile_min,
    ivHistoryDays: e.iv_history_days,
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
    slippage: [...s.slippage_pct],
    exitOnFill: s.exit_trigger === "fill",
    maxEntriesPerDay: s.max_entries_per_day,
    riskFreeRate: s.risk_free_rate,
    ...(e.avoid_ex_dividend_days === undefined
      ? {}
      : { avoidExDividendDays: e.avoid_ex_dividend_days }),
    ...(s.stock_commission === undefined ? {} : { stockCommission: s.stock_commission }),
    wExpectedValue: w.expected_value,
    wIvPercentile: w.iv_percentile,
    wDeltaDistance: w.delta_distance,
    wCreditWidth: w.credit_width,
    ...rulesOf(config),
  };
}

/** `{ rules }` when a risk rule is on, else nothing (see {@link ruleParamsOf}). */
function rulesOf(config: StrategyConfig): { rules?: RuleParams } {
  const rules = ruleParamsOf(config);
  return rules ? { rules } : {};
}

/** The strategy kind of a configuration's `strategy_type`. */
function strategyKindOf(config: StrategyConfig): StrategyKind {
  const types = strategyTypesOf(config);
  if (types.length === 2) return "both";
  return types[0] === "iron_condor"
    ? "iron_condor"
    : types[0] === "bull_put_spread"
    ? "bull_put"
    : "bear_call";
}

/**
 * The slippage fraction of an order of `legs` legs.
 *
 * @param p parameters
 * @param legs the order's leg count, 1 to 4
 * @returns the share of each leg's bid-ask given up
 *
 * @example A vertical trades at 66%, an iron condor at 53%
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig } from "./config.ts";
 * import { paramsFromConfig, slippageOf } from "./params.ts";
 * const p = paramsFromConfig(loadConfig("config/default.toml"));
 * assert.equal(slippageOf(p, 2), 0.66);
 * assert.equal(slippageOf(p, 4), 0.53);
 * ```
 */
export function slippageOf(p: SimParams, legs: number): number {
  return p.slippage[legs - 1];
}

/**
 * The sides a strategy scans (the put side first).
 *
 * @param p parameters
 * @returns the put side, the call side, or both
 */
export function sidesOf(p: SimParams): SideParams[] {
  if (p.strategy === "bull_put") return [p.put];
  if (p.strategy === "bear_call") return [p.call];
  return [p.put, p.call];
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
