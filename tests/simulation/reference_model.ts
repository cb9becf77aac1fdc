/**
 * A reference simulator in exact rational arithmetic, written from DESIGN "Spec decisions" and
 * the README's methodology rather than from the engine: quotes are whole cents, settings are
 * read as the decimals they are written as, and nothing is rounded. It covers the scenarios of
 * the differential test: bull puts, bear calls, both sides (each its own position) and iron
 * condors. Either at most one position a day passes the entry filters, or the score is credit
 * / width alone (weights 0, 0, 0, 1), which it ranks exactly (an exact tie of two scores is a
 * scenario error: binary floating point cannot promise the same order); the IV-percentile
 * filter is off.
 *
 * Rules it implements, in the order of a day:
 * 1. Mark: each open position's legs are the first row of each contract in that day's snapshot
 *    (later rows of the same contract are duplicates); when any is absent or unusable
 *    (bid <= 0, bid > ask, bad greeks) the position keeps its last complete set of quotes.
 *    The mark is Σ mid of the legs sold − Σ mid of the legs bought.
 * 2. Exits, not on the entry day: with a usable set and DTE >= 0, profit target when the
 *    trigger (mark, or the slippage-adjusted close cost) <= credit·(1 - pt), stop loss when
 *    >= credit·(1 + sl), time exit when 0 < DTE <= dte_exit, at the close cost (one order:
 *    slippage of its leg count, 2 or 4) with a commission per leg; otherwise expiration when
 *    DTE <= 0, every leg at intrinsic value from the settlement price with a commission per leg
 *    that finishes in the money; otherwise on the run's last day, at the close cost of the last
 *    set (end_of_period).
 *    The risk rules' exits, when set: `dte_exit_first` checks the time exit before the profit
 *    target and the stop; after the stop, a trailing stop (profit = credit - trigger; its peak
 *    the highest profit of the days checked, today included; closes once the peak has reached
 *    trailing_activation_pct·credit and the profit is <= peak·(1 - trailing_giveback_pct));
 *    after the time exit, max_days_held (0 < DTE and calendar days held >= max_days_held).
 * 3. Equity after exits = cash - Σ mark·100·contracts.
 * 4. Entries (not on the last day), best first, up to max_entries_per_day, while fewer than
 *    max_positions are open. A vertical passes its side's filters (DTE band, short |delta|
 *    band, width band, credit >= min_credit_pct·width and < width at two-leg slippage,
 *    liquidity of both legs); the call side's filters are [entry.call]'s keys where set. An
 *    iron condor is a passing put side and call side (each without the credit filter) on one
 *    expiry, short put strike <= short call strike, whose four-leg credit is >= the put side's
 *    min_credit_pct × the wider width and < it. A position of the same type, ticker, expiry
 *    and strikes open already is skipped; contracts = floor of the smallest of equity·risk,
 *    heat·equity - open risk, and the group's share of the heat budget minus its open risk,
 *    each over the max loss per contract (wider width - credit)·100 + legs·commission.
 *    Early assignment (after those exits, before the end of the period; from the day after
 *    the entry while DTE > 0, on a complete set of the day's quotes): the close is the bars'
 *    close that day, else the snapshot's stock price. A short call in the money whose time
 *    value (mid − intrinsic at the close) is below the dividend going ex on or before the next
 *    day of the data (after the last day: the next NYSE session) is assigned; a short put in
 *    the money whose time value is below strike × risk_free_rate × DTE / 365, when the rate is
 *    positive. The first such short leg closes at its intrinsic value with a commission of
 *    (commission + stock_commission) per contract; the other legs close as one order of their
 *    leg count (that slippage), each with a commission: exit reason "assignment".
 * 5. End-of-day equity and cash.
 * Settlement price of an expiry: the bars' close on the expiry date when they have it, else,
 * going back from the expiry date over the data's days, the first day's bar close, or that
 * day's snapshot stock price where the bars lack it.
 *
 * @module
 */
import type { StrategyConfig } from "../../lib/mod.ts";
import { isNyseSession } from "../../lib/data/calendar.ts";
import { Q, ZERO } from "../helpers/rational.ts";

/** A chain row with whole-cent prices. */
export interface RefRow {
  ticker: string;
  day: number;
  expiry: number;
  /** Strike, dollars (a short decimal). */
  strike: number;
  put: boolean;
  bidCents: number;
  askCents: number;
  delta: number;
  openInterest: number;
  volume: number;
  stockCents: number;
  /** Greeks or IV unusable. */
  badGreeks?: boolean;
}

/** The market of a scenario. */
export interface RefMarket {
  rows: RefRow[];
  /** Bars' closes in cents, by ticker and day. */
  bars: Map<string, Map<number, number>>;
  /** Cash dividends in cents, by ticker and ex-date (absent: none). */
  dividends?: Map<string, Map<number, number>>;
}

/** A completed trade of the reference. */
export interface RefTrade {
  ticker: string;
  /** bull_put, bear_call or iron_condor. */
  kind: string;
  entryDay: number;
  exitDay: number;
  expiry: number;
  /** The vertical's strikes, or an iron condor's put side. */
  shortStrike: number;
  longStrike: number;
  /** An iron condor's call side (null for a vertical). */
  callShortStrike: number | null;
  callLongStrike: number | null;
  contracts: number;
  entryCredit: Q;
  exitDebit: Q;
  commission: Q;
  pnl: Q;
  exitReason: string;
}

/** A day of the reference's equity curve. */
export interface RefDay {
  day: number;
  equity: Q;
  cash: Q;
}

/** Exact ties the run went through (to show that the scenarios exercise them). */
export interface RefTies {
  /** Entries whose credit equalled min_credit_pct × width. */
  minCredit: number;
  /** Exits whose trigger equalled the profit-target level. */
  profitTarget: number;
  /** Exits whose trigger equalled the stop level. */
  stopLoss: number;
  /** Entries whose contract count was a whole number before flooring. */
  sizing: number;
  /** Days with more than one candidate (ranked by score). */
  ranked: number;
  /** Candidates not entered for want of room in the heat, risk or group budget. */
  unsized: number;
  /** Time exits that dte_exit_first checked before a profit target or a stop that also held. */
  dteFirst: number;
  /** Trailing stops whose profit equalled the give-back level. */
  trailing: number;
}

/** The reference's result. */
export interface RefResult {
  trades: RefTrade[];
  equity: RefDay[];
  ties: RefTies;
  /** Days on which a held position had no usable set of quotes (last set kept). */
  missingQuotes: number;
}

/** Thrown when a scenario asks what the reference cannot answer exactly. */
export class ScenarioError extends Error {}

interface Quote {
  bid: Q;
  ask: Q;
}

interface Leg {
  put: boolean;
  strike: number;
  /** -1 sold, +1 bought. */
  ratio: number;
  quote: Quote;
}

interface Position {
  ticker: string;
  kind: string;
  expiry: number;
  legs: Leg[];
  contracts: number;
  credit: Q;
  entryCommission: Q;
  maxLoss: Q;
  entryDay: number;
  /** The highest profit per share of the days checked (the trailing stop's), or null. */
  peak: Q | null;
}

/** A side's filters. */
interface Side {
  put: boolean;
  deltaMin: number;
  deltaMax: number;
  widthMin: Q;
  widthMax: Q;
  minCredit: Q;
  minOpenInterest: number;
  minVolume: number;
  maxBidAsk: Q;
}

/** A candidate: its legs' rows (sold first on each side), credit and wider width. */
interface Candidate {
  kind: string;
  rows: RefRow[];
  credit: Q;
  width: Q;
}

const HUNDRED = Q.int(100);
const TWO = Q.int(2);

function usable(r: RefRow): boolean {
  return r.bidCents > 0 && r.bidCents <= r.askCents && !r.badGreeks;
}

function quoteOf(r: RefRow): Quote {
  return { bid: Q.cents(r.bidCents), ask: Q.cents(r.askCents) };
}

function contractKey(expiry: number, put: boolean, strike: number): string {
  return `${expiry}|${put ? "P" : "C"}|${strike}`;
}

/** The strategy kinds a configuration scans: verticals by side, or iron condors. */
function kindsOf(config: StrategyConfig): string[] {
  const t = config.strategy.strategy_type;
  const names = typeof t === "string" ? [t] : t;
  return names.map((n) =>
    n === "bull_put_spread" ? "bull_put" : n === "bear_call_spread" ? "bear_call" : "iron_condor"
  );
}

/**
 * Runs the reference over a market with a validated configuration.
 *
 * @param market rows and bars
 * @param config the configuration (IV-percentile filter off)
 * @throws ScenarioError when several candidates compete and the score is not credit / width,
 *   or two of them tie exactly
 */
export function referenceRun(market: RefMarket, config: StrategyConfig): RefResult {
  if (config.entry.iv_percentile_min !== 0) {
    throw new Error("The reference needs the IV filter off");
  }
  const e = config.entry;
  const call = { ...e, ...e.call };
  const sideOf = (put: boolean, x: typeof e | typeof call): Side => ({
    put,
    deltaMin: x.short_delta_min,
    deltaMax: x.short_delta_max,
    widthMin: Q.dec(x.spread_width_min),
    widthMax: Q.dec(x.spread_width_max),
    minCredit: Q.dec(x.min_credit_pct),
    minOpenInterest: x.min_open_interest,
    minVolume: x.min_volume,
    maxBidAsk: Q.dec(x.max_bid_ask_pct),
  });
  const putSide = sideOf(true, e);
  const callSide = sideOf(false, call);
  const kinds = kindsOf(config);
  const slippage = (legs: number) => Q.dec(config.simulation.slippage_pct[legs - 1]);
  const fee = Q.dec(config.simulation.commission_per_contract);
  const pt = Q.dec(config.exit.profit_target_pct);
  const sl = Q.dec(config.exit.stop_loss_pct);
  const sizing = config.position_sizing;
  const risk = Q.dec(sizing.max_risk_per_trade_pct);
  const heat = Q.dec(sizing.max_portfolio_heat_pct);
  const correlated = Q.dec(sizing.max_correlated_exposure_pct);
  const onFill = config.simulation.exit_trigger === "fill";
  const rate = Q.dec(config.simulation.risk_free_rate);
  const stockFee = Q.dec(config.simulation.stock_commission ?? 0);
  const x = config.exit;
  const trailingOn = x.trailing_giveback_pct !== undefined;
  const activation = Q.dec(x.trailing_activation_pct ?? 0);
  const keep = Q.int(1).sub(Q.dec(x.trailing_giveback_pct ?? 0));
  const underlyings = [config.strategy.underlying].flat();
  const w = config.scoring;
  const creditScore = w.expected_value === 0 && w.iv_percentile === 0 &&
    w.delta_distance === 0 && w.credit_width === 1;

  const sell = (q: Quote, s: Q) => q.ask.sub(q.ask.sub(q.bid).mul(s));
  const buy = (q: Quote, s: Q) => q.bid.add(q.ask.sub(q.bid).mul(s));
  const mid = (q: Quote) => q.bid.add(q.ask).div(TWO);
  const markOf = (p: Position) =>
    p.legs.reduce((m, l) => (l.ratio < 0 ? m.add(mid(l.quote)) : m.sub(mid(l.quote))), ZERO);
  const closeCostOf = (p: Position) => {
    const s = slippage(p.legs.length);
    return p.legs.reduce(
      (c, l) => (l.ratio < 0 ? c.add(buy(l.quote, s)) : c.sub(sell(l.quote, s))),
      ZERO,
    );
  };
  const liquid = (r: RefRow, side: Side) => {
    const q = quoteOf(r);
    return r.openInterest >= side.minOpenInterest && r.volume >= side.minVolume &&
      q.ask.sub(q.bid).le(side.maxBidAsk.mul(mid(q)));
  };
  const groupOf = (ticker: string) =>
    sizing.correlation_groups.findIndex((g) => g.includes(ticker));

  // Snapshots: per (ticker, day), the first row of each contract.
  const snapshots = new Map<string, Map<string, RefRow>>();
  const stockOf = new Map<string, number>();
  for (const r of market.rows) {
    const k = `${r.ticker}|${r.day}`;
    let snap = snapshots.get(k);
    if (!snap) {
      snapshots.set(k, snap = new Map());
      stockOf.set(k, r.stockCents);
    }
    const c = contractKey(r.expiry, r.put, r.strike);
    if (!snap.has(c)) snap.set(c, r);
  }
  const calendar = [...new Set(market.rows.map((r) => r.day))].sort((a, b) => a - b);

  const settlement = (ticker: string, expiry: number): Q => {
    const bars = market.bars.get(ticker);
    const onExpiry = bars?.get(expiry);
    if (onExpiry !== undefined) return Q.cents(onExpiry);
    for (let i = calendar.length - 1; i >= 0; i--) {
      const day = calendar[i];
      if (day > expiry) continue;
      const bar = bars?.get(day);
      if (bar !== undefined) return Q.cents(bar);
      const stock = stockOf.get(`${ticker}|${day}`);
      if (stock !== undefined) return Q.cents(stock);
    }
    throw new Error(`No price for ${ticker} on or before ${expiry}`);
  };
  const intrinsic = (put: boolean, strike: number, spot: Q) => {
    const k = Q.dec(strike);
    const v = put ? k.sub(spot) : spot.sub(k);
    return v.gt(ZERO) ? v : ZERO;
  };

  let cash = Q.dec(config.simulation.starting_equity);
  const open: Position[] = [];
  const trades: RefTrade[] = [];
  const equity: RefDay[] = [];
  const ties: RefTies = {
    minCredit: 0,
    profitTarget: 0,
    stopLoss: 0,
    sizing: 0,
    ranked: 0,
    unsized: 0,
    dteFirst: 0,
    trailing: 0,
  };
  let missingQuotes = 0;

  const close = (p: Position, day: number, debit: Q, commission: Q, reason: string) => {
    cash = cash.sub(debit.mul(HUNDRED).mul(Q.int(p.contracts))).sub(commission);
    const total = p.entryCommission.add(commission);
    const condor = p.kind === "iron_condor";
    trades.push({
      ticker: p.ticker,
      kind: p.kind,
      entryDay: p.entryDay,
      exitDay: day,
      expiry: p.expiry,
      shortStrike: p.legs[0].strike,
      longStrike: p.legs[1].strike,
      callShortStrike: condor ? p.legs[2].strike : null,
      callLongStrike: condor ? p.legs[3].strike : null,
      contracts: p.contracts,
      entryCredit: p.credit,
      exitDebit: debit,
      commission: total,
      pnl: p.credit.sub(debit).mul(HUNDRED).mul(Q.int(p.contracts)).sub(total),
      exitReason: reason,
    });
  };
  /** The trailing stop: updates the position's peak profit, then checks it. */
  const trailingHit = (p: Position, trigger: Q): boolean => {
    const profit = p.credit.sub(trigger);
    if (p.peak === null || profit.gt(p.peak)) p.peak = profit;
    const level = p.peak.mul(keep);
    if (!p.peak.ge(activation.mul(p.credit)) || !profit.le(level)) return false;
    if (profit.eq(level)) ties.trailing++;
    return true;
  };
  const openValue = () =>
    open.reduce((v, p) => v.sub(markOf(p).mul(HUNDRED).mul(Q.int(p.contracts))), ZERO);

  /** The verticals of a side in a snapshot (with the credit filter when `credit`). */
  const verticals = (snap: Map<string, RefRow>, day: number, side: Side, credit: boolean) => {
    const out: Array<{ short: RefRow; long: RefRow; credit: Q; width: Q }> = [];
    const s = slippage(credit ? 2 : 4);
    for (const r of snap.values()) {
      const dte = r.expiry - day;
      if (r.put !== side.put || !usable(r) || dte < e.dte_min || dte > e.dte_max) continue;
      const absDelta = Math.abs(r.delta);
      if (absDelta < side.deltaMin || absDelta > side.deltaMax || !liquid(r, side)) continue;
      for (const l of snap.values()) {
        if (l.expiry !== r.expiry || l.put !== side.put || !usable(l) || !liquid(l, side)) continue;
        const further = side.put ? l.strike < r.strike : l.strike > r.strike;
        const width = Q.dec(r.strike).sub(Q.dec(l.strike));
        const absWidth = width.lt(ZERO) ? width.neg() : width;
        if (!further || absWidth.lt(side.widthMin) || absWidth.gt(side.widthMax)) continue;
        const c = sell(quoteOf(r), s).sub(buy(quoteOf(l), s));
        if (credit) {
          const floor = side.minCredit.mul(absWidth);
          if (c.lt(floor) || c.ge(absWidth)) continue;
          if (c.eq(floor)) ties.minCredit++;
        }
        out.push({ short: r, long: l, credit: c, width: absWidth });
      }
    }
    return out;
  };

  /** The day's candidates of a ticker. */
  const candidatesOf = (snap: Map<string, RefRow>, day: number): Candidate[] => {
    const out: Candidate[] = [];
    for (const kind of kinds) {
      if (kind !== "iron_condor") {
        const side = kind === "bull_put" ? putSide : callSide;
        for (const v of verticals(snap, day, side, true)) {
          out.push({ kind, rows: [v.short, v.long], credit: v.credit, width: v.width });
        }
        continue;
      }
      const puts = verticals(snap, day, putSide, false);
      const calls = verticals(snap, day, callSide, false);
      for (const p of puts) {
        for (const c of calls) {
          if (p.short.expiry !== c.short.expiry || p.short.strike > c.short.strike) continue;
          const credit = p.credit.add(c.credit);
          const width = p.width.gt(c.width) ? p.width : c.width;
          const floor = putSide.minCredit.mul(width);
          if (credit.lt(floor) || credit.ge(width)) continue;
          if (credit.eq(floor)) ties.minCredit++;
          out.push({ kind, rows: [p.short, p.long, c.short, c.long], credit, width });
        }
      }
    }
    return out;
  };

  /** Best first: credit / width, ties an error (see the module doc). */
  const rank = (cs: Candidate[]): Candidate[] => {
    if (cs.length < 2) return cs;
    if (!creditScore) {
      throw new ScenarioError(`${cs.length} candidates and a score the reference cannot rank`);
    }
    ties.ranked++;
    const score = (c: Candidate) => c.credit.div(c.width);
    const sorted = [...cs].sort((a, b) => score(b).cmp(score(a)));
    for (let i = 1; i < sorted.length; i++) {
      if (score(sorted[i]).eq(score(sorted[i - 1]))) {
        throw new ScenarioError(`Two candidates score ${score(sorted[i])} exactly`);
      }
    }
    return sorted;
  };

  /** The dividend going ex after `day` and on or before the next day of the data. */
  const dividendTomorrow = (ticker: string, day: number, index: number): Q => {
    let next = calendar[index + 1];
    if (next === undefined) { for (next = day + 1; !isNyseSession(next); next++); }
    let cents = 0;
    for (const [x, amount] of market.dividends?.get(ticker) ?? []) {
      if (x > day && x <= next) cents += amount;
    }
    return Q.int(cents).div(HUNDRED);
  };
  /** The day's early assignment of a position (its debit and exit commission), or null. */
  const assignment = (p: Position, day: number, index: number) => {
    const dte = p.expiry - day;
    if (day === p.entryDay || dte <= 0) return null;
    const bar = market.bars.get(p.ticker)?.get(day);
    const closePrice = Q.cents(bar ?? stockOf.get(`${p.ticker}|${day}`)!);
    const dividend = dividendTomorrow(p.ticker, day, index);
    const assigned = p.legs.findIndex((l) => {
      if (l.ratio > 0) return false;
      const value = intrinsic(l.put, l.strike, closePrice);
      if (!value.gt(ZERO)) return false;
      const timeValue = mid(l.quote).sub(value);
      const threshold = l.put
        ? Q.dec(l.strike).mul(rate).mul(Q.int(dte)).div(Q.int(365))
        : dividend;
      return threshold.gt(ZERO) && timeValue.lt(threshold);
    });
    if (assigned < 0) return null;
    const s = slippage(p.legs.length - 1);
    let debit = ZERO;
    p.legs.forEach((l, i) => {
      const fill = i === assigned
        ? intrinsic(l.put, l.strike, closePrice)
        : l.ratio < 0
        ? buy(l.quote, s)
        : sell(l.quote, s);
      debit = l.ratio < 0 ? debit.add(fill) : debit.sub(fill);
    });
    const contracts = Q.int(p.contracts);
    const commission = Q.int(p.legs.length).mul(fee).mul(contracts).add(stockFee.mul(contracts));
    return { debit, commission };
  };

  calendar.forEach((day, index) => {
    const lastDay = index === calendar.length - 1;
    // 1-2. Mark and exits.
    for (const p of [...open]) {
      const snap = snapshots.get(`${p.ticker}|${day}`);
      const rows = p.legs.map((l) => snap?.get(contractKey(p.expiry, l.put, l.strike)));
      const quoted = rows.every((r) => !!r && usable(r));
      if (quoted) p.legs.forEach((l, i) => (l.quote = quoteOf(rows[i]!)));
      if (day === p.entryDay) continue;
      if (!quoted) missingQuotes++;
      const dte = p.expiry - day;
      const closeCost = closeCostOf(p);
      const trigger = onFill ? closeCost : markOf(p);
      const exitFee = Q.int(p.legs.length).mul(fee).mul(Q.int(p.contracts));
      let reason: string | null = null;
      if (quoted && dte >= 0) {
        const target = p.credit.mul(Q.int(1).sub(pt));
        const stop = p.credit.mul(Q.int(1).add(sl));
        const timeExit = dte > 0 && dte <= config.exit.dte_exit;
        if (x.dte_exit_first && timeExit) {
          reason = "time_exit";
          if (trigger.le(target) || trigger.ge(stop)) ties.dteFirst++;
        } else if (trigger.le(target)) {
          reason = "profit_target";
          if (trigger.eq(target)) ties.profitTarget++;
        } else if (trigger.ge(stop)) {
          reason = "stop_loss";
          if (trigger.eq(stop)) ties.stopLoss++;
        } else if (trailingOn && trailingHit(p, trigger)) reason = "trailing_stop";
        else if (timeExit) reason = "time_exit";
        else if (x.max_days_held !== undefined && dte > 0 && day - p.entryDay >= x.max_days_held) {
          reason = "max_days_held";
        }
      }
      if (reason) close(p, day, closeCost, exitFee, reason);
      else if (dte <= 0) {
        const spot = settlement(p.ticker, p.expiry);
        let debit = ZERO;
        let itm = 0;
        for (const l of p.legs) {
          const v = intrinsic(l.put, l.strike, spot);
          debit = l.ratio < 0 ? debit.add(v) : debit.sub(v);
          if (v.gt(ZERO)) itm++;
        }
        close(p, day, debit, Q.int(itm).mul(fee).mul(Q.int(p.contracts)), "expiration");
      } else if (quoted && assignment(p, day, index)) {
        const { debit, commission } = assignment(p, day, index)!;
        close(p, day, debit, commission, "assignment");
      } else if (lastDay) close(p, day, closeCost, exitFee, "end_of_period");
      else continue;
      open.splice(open.indexOf(p), 1);
    }

    // 3-4. Equity after exits, then the entries.
    const equityNow = cash.add(openValue());
    if (!lastDay) {
      const passing: Candidate[] = [];
      for (const ticker of underlyings) {
        const snap = snapshots.get(`${ticker}|${day}`);
        if (snap) passing.push(...candidatesOf(snap, day));
      }
      const ranked = open.length < sizing.max_positions ? rank(passing) : [];
      let entries = 0;
      for (const c of ranked) {
        if (entries >= config.simulation.max_entries_per_day) break;
        if (open.length >= sizing.max_positions) break;
        const first = c.rows[0];
        const held = open.some((p) =>
          p.ticker === first.ticker && p.expiry === first.expiry && p.kind === c.kind &&
          p.legs.every((l, i) => l.strike === c.rows[i].strike)
        );
        if (held) continue;
        const legCount = Q.int(c.rows.length);
        const perContract = c.width.sub(c.credit).mul(HUNDRED).add(legCount.mul(fee));
        const openRisk = open.reduce((a, p) => a.add(p.maxLoss), ZERO);
        let units = equityNow.mul(risk).div(perContract);
        units = Q.min(units, heat.mul(equityNow).sub(openRisk).div(perContract));
        const g = groupOf(first.ticker);
        if (g >= 0) {
          const groupRisk = open.filter((p) => groupOf(p.ticker) === g)
            .reduce((a, p) => a.add(p.maxLoss), ZERO);
          units = Q.min(
            units,
            correlated.mul(heat).mul(equityNow).sub(groupRisk).div(perContract),
          );
        }
        const contracts = Number(units.floor());
        if (contracts < 1) {
          ties.unsized++;
          continue;
        }
        if (units.isInteger()) ties.sizing++;
        const entryCommission = legCount.mul(fee).mul(Q.int(contracts));
        cash = cash.add(c.credit.mul(HUNDRED).mul(Q.int(contracts))).sub(entryCommission);
        open.push({
          ticker: first.ticker,
          kind: c.kind,
          expiry: first.expiry,
          legs: c.rows.map((r, i) => ({
            put: r.put,
            strike: r.strike,
            ratio: i % 2 === 0 ? -1 : 1,
            quote: quoteOf(r),
          })),
          contracts,
          credit: c.credit,
          entryCommission,
          maxLoss: perContract.mul(Q.int(contracts)),
          entryDay: day,
          peak: null,
        });
        entries++;
      }
    }
    // 5. End of day.
    equity.push({ day, equity: cash.add(openValue()), cash });
  });
  return { trades, equity, ties, missingQuotes };
}
