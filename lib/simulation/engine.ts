/**
 * The daily simulation engine. Each trading day, in order: mark open spreads at mid, check
 * exits (profit target, stop loss, time exit, expiration), fill exits with slippage and
 * commission, update the portfolio, then — within the constraints (positions, risk per trade,
 * heat, correlated exposure) — scan, rank and enter. Cash, open mark-to-market and equity are
 * reconciled every day. Positions still open on the last day are closed at that day's fills
 * (exit reason "end_of_period"), so trade P&L always sums to the equity change.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { TYPE_PUT } from "../data/chain_store.ts";
import { CandidateBuffer, ranksBefore, scanDay } from "../strategy/scanner.ts";
import type { SimParams } from "../strategy/params.ts";
import { barCloseOn, type BarCloses } from "../data/bar_closes.ts";
import { buyFill, intrinsic, sellFill } from "../pricing/fills.ts";
import { atLeast, atMost, wholeUnits } from "../pricing/ties.ts";

/** Why a trade ended. */
export type ExitReason =
  | "profit_target"
  | "stop_loss"
  | "time_exit"
  | "expiration"
  | "end_of_period";

/** One completed trade (engine units: per-share prices, dollar amounts, day numbers). */
export interface Trade {
  tickerIndex: number;
  entryDay: number;
  exitDay: number;
  expiry: number;
  shortStrike: number;
  longStrike: number;
  contracts: number;
  /** Entry credit after slippage, per share. */
  entryCredit: number;
  /** Exit debit after slippage (or intrinsic at expiration), per share. */
  exitDebit: number;
  /** Max loss of the position at entry, dollars (incl. entry commissions). */
  maxLossUsd: number;
  /** Entry plus exit commissions, dollars. */
  commissionsUsd: number;
  /** Net P&L, dollars. */
  pnlUsd: number;
  exitReason: ExitReason;
  dteAtEntry: number;
  shortDeltaAtEntry: number;
  ivRankAtEntry: number;
  vixAtEntry: number;
}

/** A day of the equity curve. */
export interface EquityPoint {
  day: number;
  equity: number;
  cash: number;
  /** Sum of open positions' max loss, dollars. */
  openRisk: number;
  /** Equity / running peak - 1 (<= 0). */
  drawdown: number;
  /** Open positions' value at mark (negative: what closing at mid would cost), dollars. */
  openMark: number;
}

/** Result of {@link simulate}. */
export interface SimulationResult {
  trades: Trade[];
  /** Daily equity points (empty when the run was asked for `equityValuesOnly`). */
  equity: EquityPoint[];
  /** End-of-day equity, one value per day of the window. */
  equityValues: Float64Array;
  /** Leg quotes missing on a day while the position was open (last mark kept). */
  missingQuotes: number;
}

interface Position {
  t: number;
  expiry: number;
  shortStrike: number;
  longStrike: number;
  contracts: number;
  entryCredit: number;
  entryCommission: number;
  maxLossUsd: number;
  entryDay: number;
  entryIndex: number;
  shortBid: number;
  shortAsk: number;
  longBid: number;
  longAsk: number;
  dteAtEntry: number;
  shortDelta: number;
  ivRank: number;
  vix: number;
}

/**
 * Row of a strike in the (expiry, type) group of a snapshot, or -1 (binary search). With
 * duplicate rows of a contract, the first one: the later ones carry the duplicate flag.
 */
function findLeg(
  store: ChainStore,
  k: number,
  expiry: number,
  type: number,
  strike: number,
): number {
  const g = store.data;
  for (let q = g.snapshotGroupStart[k]; q < g.snapshotGroupEnd[k]; q++) {
    if (g.groupExpiry[q] !== expiry || g.groupType[q] !== type) continue;
    // Lower bound: the first row whose strike is not below the one sought.
    let lo = g.groupStart[q];
    let hi = g.groupEnd[q];
    const s = store.columns.strike;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid] < strike) lo = mid + 1;
      else hi = mid;
    }
    return lo < g.groupEnd[q] && s[lo] === strike ? lo : -1;
  }
  return -1;
}

/**
 * Settlement price of ticker t for an expiry day: the bars' close on that day when they have it
 * (even when no chain file has that day), else the last close on or before it among the
 * store's days (the bar's close, or the snapshot's stock price where the bars lack the day).
 */
function settlementPrice(
  store: ChainStore,
  bars: BarCloses | undefined,
  t: number,
  day: number,
): number {
  if (bars) {
    const close = barCloseOn(bars, t, day);
    if (!Number.isNaN(close)) return close;
  }
  for (let d = store.nDays - 1; d >= 0; d--) {
    if (store.calendar[d] > day) continue;
    const v = store.data.barClose[t * store.nDays + d];
    if (!Number.isNaN(v)) return v;
  }
  return NaN;
}

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** First calendar index (inclusive); default 0. */
  fromIndex?: number;
  /** Last calendar index (inclusive); default the last day. */
  toIndex?: number;
  /** IV percentile per (ticker, day) (see ivPercentile), required when ivPctMin > 0. */
  ivPct: Float64Array;
  /** A candidate buffer to reuse across runs (saves allocation in the optimizer). */
  buffer?: CandidateBuffer;
  /** Record only `equityValues`, not equity points (the optimizer's training runs). */
  equityValuesOnly?: boolean;
  /**
   * The bars' closes at their own dates (see barCloses), for settling on an expiry date that
   * the chain files lack; without them such a position settles at the last close before it.
   */
  bars?: BarCloses;
}

/**
 * Runs one backtest over calendar indexes [fromIndex, toIndex], starting flat with the starting
 * equity.
 *
 * @param store the chain
 * @param p parameters
 * @param options window and IV percentile table
 * @returns trades, daily equity, and the count of missing leg quotes
 */
export function simulate(
  store: ChainStore,
  p: SimParams,
  options: SimulateOptions,
): SimulationResult {
  const c = store.columns;
  const from = options.fromIndex ?? 0;
  const to = options.toIndex ?? store.nDays - 1;
  const tickerIdx = p.underlyings.map((u) => store.tickerIndex(u)).filter((t) => t >= 0);
  const groupOf = new Int32Array(store.tickers.length).fill(-1);
  p.correlationGroups.forEach((group, gi) => {
    for (const u of group) {
      const t = store.tickerIndex(u);
      if (t >= 0 && groupOf[t] < 0) groupOf[t] = gi;
    }
  });
  const type = p.putSide ? TYPE_PUT : 0;
  const slip = p.slippage2;
  const fee = p.commission;
  const open: Position[] = [];
  const trades: Trade[] = [];
  const equity: EquityPoint[] = [];
  const candidates = options.buffer ?? new CandidateBuffer();
  const equityValues = new Float64Array(Math.max(to - from + 1, 0));
  const pointsWanted = !options.equityValuesOnly;
  let cash = p.startingEquity;
  let peak = p.startingEquity;
  let missingQuotes = 0;

  const close = (
    pos: Position,
    day: number,
    debit: number,
    commission: number,
    reason: ExitReason,
  ) => {
    cash -= debit * 100 * pos.contracts + commission;
    const commissions = pos.entryCommission + commission;
    trades.push({
      tickerIndex: pos.t,
      entryDay: pos.entryDay,
      exitDay: day,
      expiry: pos.expiry,
      shortStrike: pos.shortStrike,
      longStrike: pos.longStrike,
      contracts: pos.contracts,
      entryCredit: pos.entryCredit,
      exitDebit: debit,
      maxLossUsd: pos.maxLossUsd,
      commissionsUsd: commissions,
      pnlUsd: (pos.entryCredit - debit) * 100 * pos.contracts - commissions,
      exitReason: reason,
      dteAtEntry: pos.dteAtEntry,
      shortDeltaAtEntry: pos.shortDelta,
      ivRankAtEntry: pos.ivRank,
      vixAtEntry: pos.vix,
    });
  };

  for (let d = from; d <= to; d++) {
    const day = store.calendar[d];
    const lastDay = d === to;
    // 1. Mark and exit.
    for (let n = 0; n < open.length; n++) {
      const pos = open[n];
      const k = pos.t * store.nDays + d;
      const si = findLeg(store, k, pos.expiry, type, pos.shortStrike);
      const li = findLeg(store, k, pos.expiry, type, pos.longStrike);
      const quoted = si >= 0 && li >= 0 && c.flags[si] === 0 && c.flags[li] === 0;
      if (quoted) {
        pos.shortBid = c.bid[si];
        pos.shortAsk = c.ask[si];
        pos.longBid = c.bid[li];
        pos.longAsk = c.ask[li];
      } else if (d > pos.entryIndex) missingQuotes++;
      if (d === pos.entryIndex) continue; // first exit check is the next trading day
      const dte = pos.expiry - day;
      const closeCost = buyFill(pos.shortBid, pos.shortAsk, slip) -
        sellFill(pos.longBid, pos.longAsk, slip);
      const mark = 0.5 * (pos.shortBid + pos.shortAsk) - 0.5 * (pos.longBid + pos.longAsk);
      const trigger = p.exitOnFill ? closeCost : mark;
      const exitFee = 2 * fee * pos.contracts;
      let reason: ExitReason | null = null;
      if (quoted && dte >= 0) {
        if (atMost(trigger, pos.entryCredit * (1 - p.profitTargetPct))) reason = "profit_target";
        else if (atLeast(trigger, pos.entryCredit * (1 + p.stopLossPct))) reason = "stop_loss";
        else if (dte > 0 && dte <= p.dteExit) reason = "time_exit";
      }
      if (reason) {
        close(pos, day, closeCost, exitFee, reason);
      } else if (dte <= 0) {
        // Expiration: each leg at intrinsic from the close on the expiry date; commission only
        // for legs that finish in the money (exercise or assignment).
        const spot = settlementPrice(store, options.bars, pos.t, pos.expiry);
        const shortValue = intrinsic(p.putSide, pos.shortStrike, spot);
        const longValue = intrinsic(p.putSide, pos.longStrike, spot);
        const legsItm = (shortValue > 0 ? 1 : 0) + (longValue > 0 ? 1 : 0);
        close(pos, day, shortValue - longValue, legsItm * fee * pos.contracts, "expiration");
      } else if (lastDay) {
        close(pos, day, closeCost, exitFee, "end_of_period");
      } else continue;
      open.splice(n, 1);
      n--;
    }

    // 2. Portfolio state.
    let openMark = 0;
    let openRisk = 0;
    for (const pos of open) {
      openMark -= (0.5 * (pos.shortBid + pos.shortAsk) - 0.5 * (pos.longBid + pos.longAsk)) * 100 *
        pos.contracts;
      openRisk += pos.maxLossUsd;
    }
    const eq = cash + openMark;

    // 3. Scan, rank and enter (not on the last day: a trade needs a next day to be managed).
    if (!lastDay && open.length < p.maxPositions) {
      candidates.count = 0;
      for (const t of tickerIdx) {
        scanDay(store, t, d, options.ivPct[t * store.nDays + d], p, candidates);
      }
      let entries = 0;
      const taken = candidates.taken;
      taken.fill(0, 0, candidates.count);
      while (entries < p.maxEntriesPerDay && open.length < p.maxPositions) {
        let best = -1;
        for (let n = 0; n < candidates.count; n++) {
          if (!taken[n] && (best < 0 || ranksBefore(store, candidates, n, best))) best = n;
        }
        if (best < 0) break;
        taken[best] = 1;
        const si = candidates.shortRow[best];
        const li = candidates.longRow[best];
        const t = c.underlying[si];
        if (
          open.some((o) =>
            o.t === t && o.expiry === c.expiry[si] && o.shortStrike === c.strike[si] &&
            o.longStrike === c.strike[li]
          )
        ) continue;
        const credit = candidates.credit[best];
        const perContract = candidates.maxLoss[best] * 100 + 2 * fee;
        let contracts = wholeUnits(eq * p.maxRiskPerTradePct / perContract);
        // Heat: total open max loss within max_portfolio_heat_pct of equity.
        contracts = Math.min(contracts, wholeUnits((p.maxHeatPct * eq - openRisk) / perContract));
        // Correlated exposure: the group's open max loss within its share of the heat budget.
        const gi = groupOf[t];
        if (gi >= 0) {
          let groupRisk = 0;
          for (const o of open) if (groupOf[o.t] === gi) groupRisk += o.maxLossUsd;
          contracts = Math.min(
            contracts,
            wholeUnits((p.maxCorrelatedPct * p.maxHeatPct * eq - groupRisk) / perContract),
          );
        }
        if (!(contracts >= 1)) continue;
        const entryCommission = 2 * fee * contracts;
        cash += credit * 100 * contracts - entryCommission;
        const maxLossUsd = perContract * contracts;
        openRisk += maxLossUsd;
        open.push({
          t,
          expiry: c.expiry[si],
          shortStrike: c.strike[si],
          longStrike: c.strike[li],
          contracts,
          entryCredit: credit,
          entryCommission,
          maxLossUsd,
          entryDay: day,
          entryIndex: d,
          shortBid: c.bid[si],
          shortAsk: c.ask[si],
          longBid: c.bid[li],
          longAsk: c.ask[li],
          dteAtEntry: c.expiry[si] - day,
          shortDelta: c.delta[si],
          ivRank: options.ivPct[t * store.nDays + d],
          vix: store.data.vixClose[d],
        });
        entries++;
      }
    }

    // 4. End-of-day equity (after entries: an entry changes cash and mark by the slippage).
    openMark = 0;
    openRisk = 0;
    for (const pos of open) {
      openMark -= (0.5 * (pos.shortBid + pos.shortAsk) - 0.5 * (pos.longBid + pos.longAsk)) * 100 *
        pos.contracts;
      openRisk += pos.maxLossUsd;
    }
    const endEquity = cash + openMark;
    if (endEquity > peak) peak = endEquity;
    equityValues[d - from] = endEquity;
    if (pointsWanted) {
      equity.push({
        day,
        equity: endEquity,
        cash,
        openRisk,
        drawdown: endEquity / peak - 1,
        openMark,
      });
    }
  }
  return { trades, equity, equityValues, missingQuotes };
}
