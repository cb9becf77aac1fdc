/**
 * The risk rules' portfolio limits on a new position (each off unless its `[position_sizing]`
 * key is set), applied after the spec's sizing (constraints.ts) to a candidate sized to at
 * least one contract, for any position (a vertical, an iron condor, either side):
 * 1. `max_contracts`: contracts = min(contracts, max_contracts) (counted when it caps);
 * 2. `max_volume_share`: each leg's contracts at most floor(share × that leg's volume that day);
 * 3. `max_risk_per_underlying_pct`: the underlying's open max loss plus the new position's
 *    within this share of equity, contracts = floor((share × equity − open) / max loss per
 *    contract);
 * 4. `max_net_delta_pct`: the portfolio's net dollar delta after the entry,
 *    |Σ delta × 100 × contracts × spot| (each open position at its last complete set of quotes
 *    and its underlying's price then; the candidate at its entry quotes), within this share of
 *    equity;
 * 5. `min_net_theta`: the portfolio's net theta after the entry, Σ theta × 100 × contracts in
 *    dollars per calendar day, at least this.
 * Limits 2 and 3 shrink the position like the heat and correlation budgets do; a candidate they
 * leave below one contract, or that breaks limit 4 or 5 at its size, is skipped and counted in
 * the entry funnel under that limit's name (`volume_share_skips`, `underlying_risk_skips`,
 * `net_delta_skips`, `net_theta_skips`); `max_contracts_caps` counts the entries it capped.
 * Equity is the equity after the day's exits. Thresholds hold on exact ties (pricing/ties.ts).
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { CONTRACT_MULTIPLIER } from "../data/conventions.ts";
import { atLeast, atMost, wholeUnits } from "../pricing/ties.ts";
import { Stage } from "../strategy/funnel.ts";
import type { RuleParams, SimParams } from "../strategy/params.ts";
import type { Position } from "./portfolio.ts";

/** Whether any of the rules' limits is on. */
export function limitsOn(params: SimParams): boolean {
  const p = params.rules;
  if (!p) return false;
  return p.maxContracts === p.maxContracts || p.maxVolumeShare === p.maxVolumeShare ||
    p.maxRiskPerUnderlyingPct === p.maxRiskPerUnderlyingPct ||
    p.maxNetDeltaPct === p.maxNetDeltaPct || p.minNetTheta === p.minNetTheta;
}

/**
 * Marks the funnel's limit counts of the limits that are off as absent (NaN); call after
 * zeroing it at the start of a run.
 *
 * @param funnel counts indexed by Stage
 * @param p parameters
 */
export function resetLimitFunnel(funnel: Float64Array, params: SimParams): void {
  const on = (x: number | undefined) => (x !== undefined && x === x ? 0 : NaN);
  const p: Partial<RuleParams> = params.rules ?? {};
  funnel[Stage.NetDeltaSkips] = on(p.maxNetDeltaPct);
  funnel[Stage.NetThetaSkips] = on(p.minNetTheta);
  funnel[Stage.UnderlyingRiskSkips] = on(p.maxRiskPerUnderlyingPct);
  funnel[Stage.VolumeShareSkips] = on(p.maxVolumeShare);
  funnel[Stage.MaxContractsCaps] = on(p.maxContracts);
}

/** A candidate as the limits read it. */
export interface LimitCandidate {
  /** Ticker index. */
  t: number;
  /** Its legs' rows in the store. */
  rows: readonly number[];
  /** Each leg's ratio as held (−1 sold, +1 bought), in the rows' order. */
  ratios: readonly number[];
  /** The underlying's price at entry, dollars. */
  spot: number;
  /** Max loss per contract (margin plus entry commissions), dollars. */
  perContractUsd: number;
}

/** The open positions' net dollar delta and theta (the portfolio's units), and an underlying's open risk. */
function openExposure(
  open: readonly Position[],
  t: number,
): { dollarDelta: number; theta: number; underlyingRisk: number } {
  let dollarDelta = 0, theta = 0, underlyingRisk = 0;
  for (const pos of open) {
    let delta = 0, th = 0;
    for (const leg of pos.legs) {
      delta += leg.ratio * leg.mark.delta;
      th += leg.ratio * leg.mark.theta;
    }
    const size = CONTRACT_MULTIPLIER * pos.contracts;
    dollarDelta += delta * size * pos.spot;
    theta += th * size;
    if (pos.t === t) underlyingRisk += pos.maxLossUsd;
  }
  return { dollarDelta, theta, underlyingRisk };
}

/**
 * The contracts a sized candidate may have under the rules' limits, or 0 when one skips it
 * (counted in the funnel under that limit).
 *
 * @param store the chain (the legs' volume and greeks)
 * @param open the open positions
 * @param c the candidate
 * @param contracts its size under the spec's constraints (>= 1)
 * @param equity equity after the day's exits, dollars
 * @param p the risk rules' parameters (NaN: a limit off)
 * @param funnel counts indexed by Stage
 * @returns contracts (0: skipped)
 */
export function limitContracts(
  store: ChainStore,
  open: readonly Position[],
  c: LimitCandidate,
  contracts: number,
  equity: number,
  p: RuleParams,
  funnel: Float64Array,
): number {
  const col = store.columns;
  const capped = p.maxContracts === p.maxContracts && contracts > p.maxContracts;
  if (capped) contracts = p.maxContracts;
  if (p.maxVolumeShare === p.maxVolumeShare) {
    for (const row of c.rows) {
      contracts = Math.min(contracts, wholeUnits(p.maxVolumeShare * col.volume[row]));
    }
    if (!(contracts >= 1)) {
      funnel[Stage.VolumeShareSkips]++;
      return 0;
    }
  }
  const exposure = openExposure(open, c.t);
  if (p.maxRiskPerUnderlyingPct === p.maxRiskPerUnderlyingPct) {
    const room = p.maxRiskPerUnderlyingPct * equity - exposure.underlyingRisk;
    contracts = Math.min(contracts, wholeUnits(room / c.perContractUsd));
    if (!(contracts >= 1)) {
      funnel[Stage.UnderlyingRiskSkips]++;
      return 0;
    }
  }
  if (p.maxNetDeltaPct === p.maxNetDeltaPct || p.minNetTheta === p.minNetTheta) {
    let delta = 0, theta = 0;
    for (let i = 0; i < c.rows.length; i++) {
      delta += c.ratios[i] * col.delta[c.rows[i]];
      theta += c.ratios[i] * col.theta[c.rows[i]];
    }
    const size = CONTRACT_MULTIPLIER * contracts;
    if (p.maxNetDeltaPct === p.maxNetDeltaPct) {
      const net = exposure.dollarDelta + delta * size * c.spot;
      if (!atMost(Math.abs(net), p.maxNetDeltaPct * equity)) {
        funnel[Stage.NetDeltaSkips]++;
        return 0;
      }
    }
    if (p.minNetTheta === p.minNetTheta && !atLeast(exposure.theta + theta * size, p.minNetTheta)) {
      funnel[Stage.NetThetaSkips]++;
      return 0;
    }
  }
  if (capped) funnel[Stage.MaxContractsCaps]++;
  return contracts;
}
