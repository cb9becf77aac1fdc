/**
 * The portfolio: open positions with their marks, cash, and the state logged every day.
 *
 * A position is a vertical credit spread held since its entry. Each day it is marked from the
 * day's snapshot: when both legs are quoted (and usable) it takes that pair of quotes and
 * greeks; otherwise it keeps its last complete pair, so that a mark never mixes days. The
 * spread's mark is mid(short) - mid(long) per share; the position's value is minus that,
 * × 100 × contracts (what closing at mid would cost). Position greeks are long leg minus short
 * leg, per share; the portfolio's net greeks are those × 100 × contracts, summed.
 *
 * Cash changes only by entries (credit less commission) and exits (debit and commission);
 * equity = cash + the open positions' value.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import type { Greeks } from "../pricing/black_scholes.ts";
import type { EntryQuote } from "../strategy/_rationale.ts";
import type { SimParams } from "../strategy/params.ts";
import type { ScoreTerms, SpreadType } from "../strategy/spread.ts";
import type { ExitReason } from "./exits.ts";
import type { LegQuotes } from "./execution.ts";

/** What a position recorded at entry. */
export interface EntryRecord {
  /** Calendar days to expiry at entry. */
  dte: number;
  /** The short leg's delta (market sign). */
  shortDelta: number;
  /** The position's greeks per share (long leg minus short leg). */
  greeks: Greeks;
  /** IV percentile of the underlying, 0-100 (NaN while its history was short). */
  ivRank: number;
  /** VIX close of the entry day (NaN when unknown). */
  vix: number;
  /** Underlying price in the entry snapshot, dollars. */
  spot: number;
  /** Risk-neutral probability that the short strike finishes in the money. */
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

/** An open spread. */
export interface Position extends LegQuotes {
  /** Entry sequence in the run, from 1 (the trade log's T000001). */
  id: number;
  /** Ticker index in the store. */
  t: number;
  /** Ticker. */
  underlying: string;
  /** Expiry day number. */
  expiry: number;
  /** Strike sold, dollars. */
  shortStrike: number;
  /** Strike bought, dollars. */
  longStrike: number;
  /** Spreads held. */
  contracts: number;
  /** Entry day number. */
  entryDay: number;
  /** Entry calendar index. */
  entryIndex: number;
  /** Credit received after slippage, dollars per share. */
  entryCredit: number;
  /** Commission paid at entry, dollars. */
  entryCommission: number;
  /** Max loss at entry, dollars: ((width - credit)·100 + entry commission per contract) × contracts. */
  maxLossUsd: number;
  /** The legs' greeks from the last complete pair (market signs, per share). */
  shortDelta: number;
  shortGamma: number;
  shortTheta: number;
  shortVega: number;
  longDelta: number;
  longGamma: number;
  longTheta: number;
  longVega: number;
  /** Underlying price of the last snapshot that quoted both legs, dollars. */
  spot: number;
  /** Whether today's snapshot quoted both legs usably. */
  quoted: boolean;
  /** The exit decided today, if any. */
  exitReason: ExitReason | null;
  /** What the entry recorded. */
  entry: EntryRecord;
}

/** One completed trade (per-share prices, dollar amounts, day numbers). */
export interface Trade {
  /** Entry sequence in the run, from 1. */
  id: number;
  underlying: string;
  spreadType: SpreadType;
  entryDay: number;
  exitDay: number;
  expiry: number;
  shortStrike: number;
  longStrike: number;
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
  exitReason: ExitReason;
  /** Underlying price at exit: the exit day's snapshot, or the settlement price. */
  underlyingPriceExit: number;
  /** What the entry recorded. */
  entry: EntryRecord;
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
}

/** One open position at the end of a day (the optional positions log). */
export interface PositionDay {
  day: number;
  id: number;
  underlying: string;
  /** The position's value at mark, dollars (negative for a credit spread). */
  valueUsd: number;
  /** (entry credit - mark) × 100 × contracts - entry commission, dollars. */
  unrealizedPnlUsd: number;
  /** Position greeks × 100 × contracts (as the net greeks). */
  delta: number;
  gamma: number;
  theta: number;
  vega: number;
}

/**
 * Row of a strike in the (expiry, type) group of a snapshot, or -1 (binary search). With
 * duplicate rows of a contract, the first one: the later ones carry the duplicate flag.
 */
export function findLeg(
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
 * A spread's mark per share: mid(short) - mid(long), from its last complete pair of quotes.
 *
 * @param q the legs' quotes
 * @returns dollars per share (what the seller owes at mid)
 */
export function spreadMark(q: LegQuotes): number {
  return 0.5 * (q.shortBid + q.shortAsk) - 0.5 * (q.longBid + q.longAsk);
}

/**
 * A position's value at mark: -mark × 100 × contracts.
 *
 * @param pos the position
 * @returns dollars (negative: what closing at mid would cost)
 */
export function positionValue(pos: Position): number {
  return -spreadMark(pos) * 100 * pos.contracts;
}

/**
 * A position's unrealized P&L: (entry credit - mark) × 100 × contracts - entry commission.
 *
 * @param pos the position
 * @returns dollars
 */
export function unrealizedPnl(pos: Position): number {
  return (pos.entryCredit - spreadMark(pos)) * 100 * pos.contracts - pos.entryCommission;
}

/** The parts of a new position the portfolio does not derive itself. */
export type NewPosition = Omit<Position, "id" | "quoted" | "exitReason">;

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
  readonly #spreadType: SpreadType;
  #nextId = 1;

  /** An empty portfolio holding the starting equity in cash. */
  constructor(startingEquity: number, spreadType: SpreadType) {
    this.cash = startingEquity;
    this.#spreadType = spreadType;
  }

  /**
   * Marks every open position from day index d's snapshot: a complete usable pair of quotes
   * replaces the last one (with the legs' greeks and the underlying's price); otherwise the
   * last pair is kept and, after the entry day, counted as missing.
   */
  mark(store: ChainStore, d: number, type: number): void {
    const c = store.columns;
    for (let n = 0; n < this.open.length; n++) {
      const pos = this.open[n];
      const k = pos.t * store.nDays + d;
      const si = findLeg(store, k, pos.expiry, type, pos.shortStrike);
      const li = findLeg(store, k, pos.expiry, type, pos.longStrike);
      pos.quoted = si >= 0 && li >= 0 && c.flags[si] === 0 && c.flags[li] === 0;
      pos.exitReason = null;
      if (pos.quoted) {
        pos.shortBid = c.bid[si];
        pos.shortAsk = c.ask[si];
        pos.longBid = c.bid[li];
        pos.longAsk = c.ask[li];
        pos.shortDelta = c.delta[si];
        pos.shortGamma = c.gamma[si];
        pos.shortTheta = c.theta[si];
        pos.shortVega = c.vega[si];
        pos.longDelta = c.delta[li];
        pos.longGamma = c.gamma[li];
        pos.longTheta = c.theta[li];
        pos.longVega = c.vega[li];
        pos.spot = c.stockPrice[si];
      } else if (d > pos.entryIndex) this.missingQuotes++;
    }
  }

  /** Recomputes the open positions' value at mark and their open risk. */
  revalue(): void {
    let value = 0;
    let risk = 0;
    for (let n = 0; n < this.open.length; n++) {
      const pos = this.open[n];
      value -= spreadMark(pos) * 100 * pos.contracts;
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

  /** Whether a spread with these strikes and expiry is already open. */
  holds(t: number, expiry: number, shortStrike: number, longStrike: number): boolean {
    return this.open.some((o) =>
      o.t === t && o.expiry === expiry && o.shortStrike === shortStrike &&
      o.longStrike === longStrike
    );
  }

  /** Opens a position: cash receives the credit less the entry commission. */
  enter(position: NewPosition): Position {
    const pos: Position = { ...position, id: this.#nextId++, quoted: true, exitReason: null };
    this.cash += pos.entryCredit * 100 * pos.contracts - pos.entryCommission;
    this.openRisk += pos.maxLossUsd;
    this.open.push(pos);
    return pos;
  }

  /**
   * Closes open position number n: cash pays the debit and the exit commission, and the trade
   * is recorded.
   */
  close(
    n: number,
    day: number,
    debit: number,
    commission: number,
    underlyingPrice: number,
  ): Trade {
    const pos = this.open[n];
    this.cash -= debit * 100 * pos.contracts + commission;
    this.open.splice(n, 1);
    const commissions = pos.entryCommission + commission;
    const trade: Trade = {
      id: pos.id,
      underlying: pos.underlying,
      spreadType: this.#spreadType,
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
      exitReason: pos.exitReason!,
      underlyingPriceExit: underlyingPrice,
      entry: pos.entry,
    };
    this.trades.push(trade);
    return trade;
  }

  /**
   * The end-of-day state: equity, cash, risk, heat, P&L and net greeks (from each position's
   * last complete pair), as of the last revaluation.
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
    let delta = 0, gamma = 0, theta = 0, vega = 0;
    for (const p of this.open) {
      const size = 100 * p.contracts;
      delta += (p.longDelta - p.shortDelta) * size;
      gamma += (p.longGamma - p.shortGamma) * size;
      theta += (p.longTheta - p.shortTheta) * size;
      vega += (p.longVega - p.shortVega) * size;
    }
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
      netDelta: delta,
      netGamma: gamma,
      netTheta: theta,
      netVega: vega,
      vix,
    };
  }

  /** The open positions at the end of a day, for the positions log. */
  positionDays(day: number): PositionDay[] {
    return this.open.map((p) => {
      const size = 100 * p.contracts;
      return {
        day,
        id: p.id,
        underlying: p.underlying,
        valueUsd: positionValue(p),
        unrealizedPnlUsd: unrealizedPnl(p),
        delta: (p.longDelta - p.shortDelta) * size,
        gamma: (p.longGamma - p.shortGamma) * size,
        theta: (p.longTheta - p.shortTheta) * size,
        vega: (p.longVega - p.shortVega) * size,
      };
    });
  }
}
