/**
 * The portfolio: open positions with their marks, cash, and the state logged every day.
 *
 * A position is a credit spread of N legs held since its entry (2 for a vertical, 4 for an
 * iron condor; see LEGS_OF in strategy/spread.ts). Each day it is marked from the day's
 * snapshot: when every leg is quoted (and usable) it takes that set of quotes and greeks;
 * otherwise it keeps its last complete set, so that a mark never mixes days. The spread's mark
 * is Σ mid(legs sold) - Σ mid(legs bought) per share (execution.ts); the position's value is
 * minus that, × 100 × contracts (what closing at mid would cost). Position greeks are the
 * legs' as held (a leg sold counts negative), per share; the portfolio's net greeks are those
 * × 100 × contracts, summed.
 *
 * Cash changes only by entries (credit less commission) and exits (debit and commission);
 * equity = cash + the open positions' value.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { CONTRACT_MULTIPLIER } from "../data/conventions.ts";
import { indexOfSorted } from "../data/sorted.ts";
import type { Greeks } from "../pricing/black_scholes.ts";
import type { EntryQuote } from "../strategy/_rationale.ts";
import type { SimParams } from "../strategy/params.ts";
import type { LegQuote, LegRole, ScoreTerms, SpreadType } from "../strategy/spread.ts";
import { quoteOf } from "../strategy/_legs.ts";
import type { ExitReason } from "./exits.ts";
import { type HeldLeg, spreadMark } from "./execution.ts";

/** What a position recorded at entry. */
export interface EntryRecord {
  /** Calendar days to expiry at entry. */
  dte: number;
  /** The short leg's delta (market sign; an iron condor's short put). */
  shortDelta: number;
  /** The position's greeks per share (the legs as held: a leg sold counts negative). */
  greeks: Greeks;
  /** IV percentile of the underlying, 0-100 (NaN while its history was short). */
  ivRank: number;
  /** VIX close of the entry day (NaN when unknown). */
  vix: number;
  /** Underlying price in the entry snapshot, dollars. */
  spot: number;
  /**
   * Risk-neutral probability that the short strike finishes in the money (an iron condor's:
   * that either short strike does).
   */
  pItm: number;
  /** Expected value per share at entry. */
  expectedValue: number;
  /** The candidate's score and its terms. */
  score: ScoreTerms;
  /** What the entry filters read (the rationale's values). */
  quote: EntryQuote;
  /** The parameters the entry was scanned with (the rationale's thresholds). */
  params: SimParams;
}

/** A held leg's quote and greeks as of its last complete set (market signs, per share). */
export type LegMark = LegQuote;

/** One leg of an open position. */
export interface PositionLeg extends HeldLeg {
  /** Its part: short_put, long_put, short_call or long_call. */
  role: LegRole;
  /** The chain's option-type code (TYPE_PUT or TYPE_CALL). */
  type: number;
  /** The quote and greeks of the last complete set of quotes. */
  mark: LegMark;
  /** Fill at entry after slippage, dollars per share (sold: the sell fill; bought: the buy fill). */
  entryFill: number;
  /** The quote and greeks at entry. */
  entryQuote: LegQuote;
  /** Implied volatility at entry, annual decimal. */
  entryIv: number;
}

/** An open position. */
export interface Position {
  /** Entry sequence in the run, from 1 (the trade log's T000001). */
  id: number;
  /** Ticker index in the store. */
  t: number;
  /** Ticker. */
  underlying: string;
  /** Bull put, bear call or iron condor. */
  spreadType: SpreadType;
  /** Expiry day number (every leg's). */
  expiry: number;
  /** The legs, in LEGS_OF order (put side first, short before long). */
  legs: PositionLeg[];
  /** Positions held (each leg trades `ratio` × this many contracts). */
  contracts: number;
  /** Entry day number. */
  entryDay: number;
  /** Entry calendar index. */
  entryIndex: number;
  /** Credit received after slippage, dollars per share. */
  entryCredit: number;
  /** Commission paid at entry, dollars. */
  entryCommission: number;
  /**
   * Max loss at entry, dollars: (Reg-T margin per contract + entry commission per contract) ×
   * contracts, the margin being (width - credit)·100 (an iron condor's: the wider side's).
   */
  maxLossUsd: number;
  /** Underlying price of the last snapshot that quoted every leg, dollars. */
  spot: number;
  /** Whether today's snapshot quoted every leg usably. */
  quoted: boolean;
  /** The exit decided today, if any. */
  exitReason: ExitReason | null;
  /** What the entry recorded. */
  entry: EntryRecord;
  /** Highest profit per share of the days checked (the trailing stop's; NaN: none yet). */
  peakProfit?: number;
}

/** One leg of a completed trade (the trade_legs.parquet row). */
export interface TradeLeg {
  /** short_put, long_put, short_call or long_call. */
  role: LegRole;
  /** A put (true) or a call (false). */
  isPut: boolean;
  /** Strike, dollars. */
  strike: number;
  /** Signed contracts: negative sold, positive bought. */
  quantity: number;
  /** Fill at entry after slippage, dollars per share. */
  entryFill: number;
  /** Fill at exit after slippage, or the settlement (intrinsic) value, dollars per share. */
  exitFill: number;
  /** This leg's commissions, entry and exit, dollars. */
  commissionUsd: number;
  /** Quote and greeks at entry (market signs, per share). */
  entryQuote: LegQuote;
  /** Implied volatility at entry, annual decimal. */
  entryIv: number;
}

/** One completed trade (per-share prices, dollar amounts, day numbers). */
export interface Trade {
  /** Entry sequence in the run, from 1. */
  id: number;
  /** Ticker. */
  underlying: string;
  /** Bull put, bear call or iron condor. */
  spreadType: SpreadType;
  /** Entry day number. */
  entryDay: number;
  /** Exit day number. */
  exitDay: number;
  /** Expiry day number. */
  expiry: number;
  /** The strike sold (an iron condor's short put). */
  shortStrike: number;
  /** The strike bought (an iron condor's long put). */
  longStrike: number;
  /** An iron condor's short call strike (NaN for a vertical). */
  callShortStrike: number;
  /** An iron condor's long call strike (NaN for a vertical). */
  callLongStrike: number;
  /** Positions held. */
  contracts: number;
  /** Entry credit after slippage, per share. */
  entryCredit: number;
  /** Exit debit after slippage (or the settlement value at expiration), per share. */
  exitDebit: number;
  /** Max loss of the position at entry, dollars (incl. entry commissions). */
  maxLossUsd: number;
  /** Entry plus exit commissions, dollars. */
  commissionsUsd: number;
  /** Net P&L, dollars. */
  pnlUsd: number;
  /** Why it ended. */
  exitReason: ExitReason;
  /** Underlying price at exit: the exit day's snapshot, or the settlement price. */
  underlyingPriceExit: number;
  /** What the entry recorded. */
  entry: EntryRecord;
  /** The legs, in LEGS_OF order, with their fills. */
  legs: TradeLeg[];
}

/** The portfolio's state at the end of a day (the equity_curve.csv row). */
export interface DailyState {
  /** Day number. */
  day: number;
  /** Cash + open positions' value, dollars. */
  equity: number;
  /** Dollars. */
  cash: number;
  /** Sum of open positions' max loss, dollars. */
  openRisk: number;
  /** Equity / running peak - 1 (<= 0). */
  drawdown: number;
  /** Open positions' value at mark (negative: what closing at mid would cost), dollars. */
  openValue: number;
  /** Open positions. */
  openPositions: number;
  /** Open risk / equity. */
  heat: number;
  /** Equity change over the day (the first day from the starting equity), dollars. */
  dailyPnl: number;
  /** Equity - starting equity, dollars. */
  cumulativePnl: number;
  /** Net delta: Σ position delta × 100 × contracts (shares of the underlying). */
  netDelta: number;
  /** Net gamma: shares of delta per $1. */
  netGamma: number;
  /** Net theta: dollars per calendar day. */
  netTheta: number;
  /** Net vega: dollars per volatility point. */
  netVega: number;
  /** VIX close of the day (NaN when unknown). */
  vix: number;
  /** Whether a circuit breaker blocked the day's entries (only with breakers configured). */
  halted?: boolean;
  /** The halts in force, e.g. "weekly_loss+vix" (null when none; only with breakers). */
  haltReason?: string | null;
  /** The breakers that tripped that day, with their values (null when none; only with breakers). */
  haltTrigger?: string | null;
}

/** One open position at the end of a day (the optional positions log). */
export interface PositionDay {
  /** Day number. */
  day: number;
  /** The position's id (its trade's). */
  id: number;
  /** Ticker. */
  underlying: string;
  /** The position's value at mark, dollars (negative for a credit spread). */
  valueUsd: number;
  /** (entry credit - mark) × 100 × contracts - entry commission, dollars. */
  unrealizedPnlUsd: number;
  /** Position delta × 100 × contracts (as the net greeks): shares. */
  delta: number;
  /** Position gamma × 100 × contracts: shares of delta per $1. */
  gamma: number;
  /** Position theta × 100 × contracts: dollars per calendar day. */
  theta: number;
  /** Position vega × 100 × contracts: dollars per volatility point. */
  vega: number;
}

/**
 * The (expiry, type) group of snapshot k (t·nDays + d), or -1 when the snapshot does not list
 * that expiry and type.
 */
export function findGroup(store: ChainStore, k: number, expiry: number, type: number): number {
  const g = store.data;
  for (let q = g.snapshotGroupStart[k]; q < g.snapshotGroupEnd[k]; q++) {
    if (g.groupExpiry[q] === expiry && g.groupType[q] === type) return q;
  }
  return -1;
}

/**
 * Row of a strike in group q (sorted by strike), or -1 (binary search). With duplicate rows of
 * a contract, the first one: the later ones carry the duplicate flag.
 */
export function findStrike(store: ChainStore, q: number, strike: number): number {
  if (q < 0) return -1;
  const s = store.columns.strike;
  const first = store.data.groupStart[q];
  let row = indexOfSorted(s, strike, first, store.data.groupEnd[q]);
  if (row < 0) return -1;
  while (row > first && s[row - 1] === strike) row--;
  return row;
}

/**
 * A position's value at mark: -mark × 100 × contracts.
 *
 * @param pos the position
 * @returns dollars (negative: what closing at mid would cost)
 *
 * @example 4 spreads marked at 0.65: -$260
 * ```ts
 * import assert from "node:assert/strict";
 * import { positionValue, unrealizedPnl } from "./portfolio.ts";
 * const pos = { contracts: 4, entryCredit: 0.602, entryCommission: 8, legs: [
 *   { isPut: true, strike: 100, ratio: -1, mark: { bid: 1, ask: 1.2 } },
 *   { isPut: true, strike: 95, ratio: 1, mark: { bid: 0.4, ask: 0.5 } },
 * ] } as never;
 * assert.ok(Math.abs(positionValue(pos) + 260) < 1e-9);
 * assert.ok(Math.abs(unrealizedPnl(pos) - ((0.602 - 0.65) * 400 - 8)) < 1e-9);
 * ```
 */
export function positionValue(pos: Position): number {
  return -spreadMark(pos.legs) * CONTRACT_MULTIPLIER * pos.contracts;
}

/**
 * A position's unrealized P&L: (entry credit - mark) × 100 × contracts - entry commission.
 *
 * @param pos the position
 * @returns dollars
 */
export function unrealizedPnl(pos: Position): number {
  return (pos.entryCredit - spreadMark(pos.legs)) * CONTRACT_MULTIPLIER * pos.contracts -
    pos.entryCommission;
}

/**
 * How a position's legs were closed, leg by leg: each at a fill of an order (at that order's
 * slippage) or at its settlement value, with its own commission. The legs of one exit need not
 * close the same way (an assigned leg at intrinsic value and the others as an order of their
 * own leg count); the position's debit and exit commission are the legs' sums.
 */
export interface ExitFill {
  /** Exit day number. */
  day: number;
  /** The underlying's price at exit (the snapshot's, or the settlement price). */
  underlyingPrice: number;
  /** Each leg's exit fill or settlement value, dollars per share, in the legs' order. */
  fills: readonly number[];
  /** Each leg's exit commission, dollars, in the legs' order. */
  legCommissions: readonly number[];
}

/** Greeks as held, × 100 × contracts: the portfolio's units. */
export interface NetGreeks {
  /** Shares of the underlying. */
  delta: number;
  /** Shares of delta per $1. */
  gamma: number;
  /** Dollars per calendar day. */
  theta: number;
  /** Dollars per volatility point. */
  vega: number;
}

/**
 * Adds a position's greeks as held — Σ over legs of ratio × the leg's greek (a leg sold counts
 * negative), × 100 × contracts — to `sum`.
 *
 * @param sum the running sum (or zeros, for one position's)
 * @param pos the position, as of its last complete set of quotes
 * @returns `sum`
 *
 * @example A bull put spread: long leg's minus short leg's, × 100 × 2 contracts
 * ```ts
 * import assert from "node:assert/strict";
 * import { addPositionGreeks } from "./portfolio.ts";
 * const leg = (ratio: number, delta: number, theta: number) =>
 *   ({ ratio, mark: { delta, gamma: 0, theta, vega: 0 } });
 * const pos = { contracts: 2, legs: [leg(-1, -0.2, -0.05), leg(1, -0.1, -0.03)] } as never;
 * const net = addPositionGreeks({ delta: 0, gamma: 0, theta: 0, vega: 0 }, pos);
 * assert.ok(Math.abs(net.delta - 20) < 1e-9 && Math.abs(net.theta - 4) < 1e-9);
 * ```
 */
export function addPositionGreeks(sum: NetGreeks, pos: Position): NetGreeks {
  const size = CONTRACT_MULTIPLIER * pos.contracts;
  let delta = 0, gamma = 0, theta = 0, vega = 0;
  for (let i = 0; i < pos.legs.length; i++) {
    const ratio = pos.legs[i].ratio;
    const m = pos.legs[i].mark;
    delta += ratio * m.delta;
    gamma += ratio * m.gamma;
    theta += ratio * m.theta;
    vega += ratio * m.vega;
  }
  sum.delta += delta * size;
  sum.gamma += gamma * size;
  sum.theta += theta * size;
  sum.vega += vega * size;
  return sum;
}

/** Open positions and cash; the record of closed trades. */
export class Portfolio {
  /** Dollars. */
  cash: number;
  /** Open positions, in entry order. */
  readonly open: Position[] = [];
  /** Closed trades, in exit order. */
  readonly trades: Trade[] = [];
  /** Open positions' value at mark after the last revaluation, dollars. */
  openValue = 0;
  /** Sum of open positions' max loss after the last revaluation and the entries since, dollars. */
  openRisk = 0;
  /** Position-days on which a held spread's pair of quotes was incomplete. */
  missingQuotes = 0;
  #nextId = 1;
  /** Scratch of mark(): each leg's row in the day's snapshot (-1: not quoted). */
  readonly #rows = new Int32Array(4);

  /** An empty portfolio holding the starting equity in cash. */
  constructor(startingEquity: number) {
    this.cash = startingEquity;
  }

  /**
   * Marks every open position from day index d's snapshot: a complete usable set of quotes
   * replaces the last one (with the legs' greeks and the underlying's price); otherwise the
   * last set is kept and, after the entry day, counted as missing.
   */
  mark(store: ChainStore, d: number): void {
    const c = store.columns;
    for (let n = 0; n < this.open.length; n++) {
      const pos = this.open[n];
      const k = pos.t * store.nDays + d;
      const legs = pos.legs;
      const rows = this.#rows;
      let quoted = true;
      let q = -1;
      let groupType = -1;
      for (let i = 0; i < legs.length; i++) {
        if (legs[i].type !== groupType) {
          groupType = legs[i].type;
          q = findGroup(store, k, pos.expiry, groupType);
        }
        const row = findStrike(store, q, legs[i].strike);
        rows[i] = row;
        if (row < 0 || c.flags[row] !== 0) quoted = false;
      }
      pos.quoted = quoted;
      pos.exitReason = null;
      if (quoted) {
        for (let i = 0; i < legs.length; i++) quoteOf(store, rows[i], legs[i].mark);
        pos.spot = c.stockPrice[rows[0]];
      } else if (d > pos.entryIndex) this.missingQuotes++;
    }
  }

  /** Recomputes the open positions' value at mark and their open risk. */
  revalue(): void {
    let value = 0;
    let risk = 0;
    for (let n = 0; n < this.open.length; n++) {
      const pos = this.open[n];
      value -= spreadMark(pos.legs) * CONTRACT_MULTIPLIER * pos.contracts;
      risk += pos.maxLossUsd;
    }
    this.openValue = value;
    this.openRisk = risk;
  }

  /** Cash + open positions' value as of the last revaluation. */
  get equity(): number {
    return this.cash + this.openValue;
  }

  /** Open max loss of the positions whose ticker is in group g. */
  groupRisk(groupOf: Int32Array, g: number): number {
    let risk = 0;
    for (const o of this.open) if (groupOf[o.t] === g) risk += o.maxLossUsd;
    return risk;
  }

  /**
   * Whether a position of this type, underlying and expiry with these strikes (in LEGS_OF
   * order) is already open.
   */
  holds(t: number, expiry: number, spreadType: SpreadType, strikes: readonly number[]): boolean {
    for (const o of this.open) {
      if (o.t !== t || o.expiry !== expiry || o.spreadType !== spreadType) continue;
      let same = true;
      for (let i = 0; i < o.legs.length; i++) same &&= o.legs[i].strike === strikes[i];
      if (same) return true;
    }
    return false;
  }

  /**
   * Opens a position (its `id` is assigned here): cash receives the credit less the entry
   * commission.
   */
  enter(pos: Position): Position {
    pos.id = this.#nextId++;
    this.cash += pos.entryCredit * CONTRACT_MULTIPLIER * pos.contracts - pos.entryCommission;
    this.openRisk += pos.maxLossUsd;
    this.open.push(pos);
    return pos;
  }

  /**
   * Closes open position number n at its exit (its `exitReason`): cash pays the debit per share
   * (Σ over legs of the buy-backs of the legs sold less the sales of the legs bought, in the
   * legs' order) and the exit commission (Σ of the legs'), and the trade is recorded.
   */
  close(n: number, exit: ExitFill): Trade {
    const { day, fills, legCommissions } = exit;
    const pos = this.open[n];
    const contracts = pos.contracts;
    let debit = 0;
    let commission = 0;
    for (let i = 0; i < pos.legs.length; i++) {
      debit -= pos.legs[i].ratio * fills[i];
      commission += legCommissions[i];
    }
    this.cash -= debit * CONTRACT_MULTIPLIER * contracts + commission;
    this.open.splice(n, 1);
    const commissions = pos.entryCommission + commission;
    const entryLegCommission = pos.entryCommission / pos.legs.length;
    const legs: TradeLeg[] = [];
    for (let i = 0; i < pos.legs.length; i++) {
      const leg = pos.legs[i];
      legs.push({
        role: leg.role,
        isPut: leg.isPut,
        strike: leg.strike,
        quantity: leg.ratio * contracts,
        entryFill: leg.entryFill,
        exitFill: fills[i],
        commissionUsd: entryLegCommission + legCommissions[i],
        entryQuote: leg.entryQuote,
        entryIv: leg.entryIv,
      });
    }
    const condor = pos.spreadType === "iron_condor";
    const trade: Trade = {
      id: pos.id,
      underlying: pos.underlying,
      spreadType: pos.spreadType,
      entryDay: pos.entryDay,
      exitDay: day,
      expiry: pos.expiry,
      shortStrike: pos.legs[0].strike,
      longStrike: pos.legs[1].strike,
      callShortStrike: condor ? pos.legs[2].strike : NaN,
      callLongStrike: condor ? pos.legs[3].strike : NaN,
      contracts,
      entryCredit: pos.entryCredit,
      exitDebit: debit,
      maxLossUsd: pos.maxLossUsd,
      commissionsUsd: commissions,
      pnlUsd: (pos.entryCredit - debit) * CONTRACT_MULTIPLIER * contracts - commissions,
      exitReason: pos.exitReason!,
      underlyingPriceExit: exit.underlyingPrice,
      entry: pos.entry,
      legs,
    };
    this.trades.push(trade);
    return trade;
  }

  /**
   * The end-of-day state: equity, cash, risk, heat, P&L and net greeks (from each position's
   * last complete set of quotes, summed over its legs), as of the last revaluation.
   *
   * @param day day number
   * @param previousEquity the previous day's equity (the starting equity on the first day)
   * @param startingEquity the run's starting equity
   * @param peak the running peak of equity, this day included
   * @param vix the day's VIX close
   */
  state(
    day: number,
    previousEquity: number,
    startingEquity: number,
    peak: number,
    vix: number,
  ): DailyState {
    const net: NetGreeks = { delta: 0, gamma: 0, theta: 0, vega: 0 };
    for (const p of this.open) addPositionGreeks(net, p);
    const equity = this.equity;
    const openRisk = this.openRisk;
    return {
      day,
      equity,
      cash: this.cash,
      openRisk,
      drawdown: equity / peak - 1,
      openValue: this.openValue,
      openPositions: this.open.length,
      heat: openRisk / equity,
      dailyPnl: equity - previousEquity,
      cumulativePnl: equity - startingEquity,
      netDelta: net.delta,
      netGamma: net.gamma,
      netTheta: net.theta,
      netVega: net.vega,
      vix,
    };
  }

  /** The open positions at the end of a day, for the positions log. */
  positionDays(day: number): PositionDay[] {
    return this.open.map((p) => {
      const row: PositionDay = {
        day,
        id: p.id,
        underlying: p.underlying,
        valueUsd: positionValue(p),
        unrealizedPnlUsd: unrealizedPnl(p),
        delta: 0,
        gamma: 0,
        theta: 0,
        vega: 0,
      };
      addPositionGreeks(row, p);
      return row;
    });
  }
}
