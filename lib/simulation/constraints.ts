/**
 * The portfolio constraints on a new position, the four checks of the spec:
 * 1. max positions: fewer than `max_positions` open;
 * 2. risk per trade: the position's max loss within `max_risk_per_trade_pct` of equity;
 * 3. portfolio heat: all open max losses within `max_portfolio_heat_pct` of equity;
 * 4. correlated exposure: a correlation group's open max loss within
 *    `max_correlated_exposure_pct` × `max_portfolio_heat_pct` of equity.
 * Checks 2-4 size the position: contracts = the whole number of contracts (as on paper) that
 * fits all three; below one contract there is no entry. Equity is the equity after the day's
 * exits. With "vix_rank" sizing, the risk-per-trade contracts of check 2 are scaled first:
 * floor(floor(risk contracts) × (1 − VIX percentile rank)).
 *
 * @module
 */
import { wholeUnits } from "../pricing/ties.ts";
import type { SimParams } from "../strategy/params.ts";

/**
 * Check 1: whether another position may be opened.
 *
 * @param openPositions positions open now
 * @param p parameters
 * @returns whether fewer than max_positions are open
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasRoom } from "./constraints.ts";
 * assert.equal(hasRoom(4, { maxPositions: 5 } as never), true);
 * assert.equal(hasRoom(5, { maxPositions: 5 } as never), false);
 * ```
 */
export function hasRoom(openPositions: number, p: SimParams): boolean {
  return openPositions < p.maxPositions;
}

/**
 * Checks 2-4: the contracts a new position may have.
 *
 * @param perContractUsd max loss per contract: the Reg-T margin of the defined-risk spread,
 *   (width - credit)·100 (an iron condor's: the wider side's width), plus its entry commissions
 * @param equity equity after the day's exits, dollars
 * @param openRisk open max loss of the portfolio, dollars
 * @param groupRisk open max loss of the candidate's correlation group, or NaN when its ticker is
 *   in no group
 * @param p parameters
 * @param riskScale factor on the risk-per-trade contracts, floored again (1 − the VIX percentile
 *   rank for "vix_rank" sizing; NaN gives no entry)
 * @returns contracts (0 or less, or NaN: no entry)
 *
 * @example $2,000 of risk per trade fits 4 contracts of $441.80; heat of $10,000 less $9,000
 * open fits 2
 * ```ts
 * import assert from "node:assert/strict";
 * import { allowedContracts } from "./constraints.ts";
 * const p = { maxRiskPerTradePct: 0.02, maxHeatPct: 0.1, maxCorrelatedPct: 1 };
 * assert.equal(allowedContracts(441.8, 100000, 0, NaN, p as never), 4);
 * assert.equal(allowedContracts(441.8, 100000, 9000, NaN, p as never), 2);
 * assert.equal(allowedContracts(500, 100000, 0, NaN, p as never), 4); // 2000 / 500, exactly
 * assert.equal(allowedContracts(441.8, 100000, 0, NaN, p as never, 1 - 0.5), 2); // rank 0.5
 * ```
 */
export function allowedContracts(
  perContractUsd: number,
  equity: number,
  openRisk: number,
  groupRisk: number,
  p: SimParams,
  riskScale = 1,
): number {
  let contracts = wholeUnits(equity * p.maxRiskPerTradePct / perContractUsd);
  if (riskScale !== 1) contracts = wholeUnits(contracts * riskScale);
  contracts = Math.min(contracts, wholeUnits((p.maxHeatPct * equity - openRisk) / perContractUsd));
  if (!Number.isNaN(groupRisk)) {
    contracts = Math.min(
      contracts,
      wholeUnits((p.maxCorrelatedPct * p.maxHeatPct * equity - groupRisk) / perContractUsd),
    );
  }
  return contracts;
}
