/**
 * A reference simulator in exact rational arithmetic, written from DESIGN "Spec decisions" and
 * the README's methodology rather than from the engine: quotes are whole cents, settings are
 * read as the decimals they are written as, and nothing is rounded. It covers the scenarios of
 * the differential test, in which at most one spread a day passes the entry filters, so it
 * needs no scoring (the IV-percentile filter is off).
 *
 * Rules it implements, in the order of a day:
 * 1. Mark: each open spread's legs are the first row of each contract in that day's snapshot
 *    (later rows of the same contract are duplicates); when either is absent or unusable
 *    (bid <= 0, bid > ask, bad greeks) the spread keeps its last complete pair of quotes.
 * 2. Exits, not on the entry day: with a usable pair and DTE >= 0, profit target when the
 *    trigger (mid mark, or the slippage-adjusted close cost) <= credit·(1 - pt), stop loss when
 *    >= credit·(1 + sl), time exit when 0 < DTE <= dte_exit, at the close cost with a commission
 *    per leg; otherwise expiration when DTE <= 0, at intrinsic value from the settlement price
 *    with a commission per leg that finishes in the money; otherwise on the run's last day, at
 *    the close cost of the last pair (end_of_period).
 * 3. Equity after exits = cash - Σ mark·100·contracts.
 * 4. Entry (not on the last day, below max_positions): the passing spread (DTE band, short
 *    |delta| band, width band, credit >= min_credit_pct·width and < width, liquidity of both
 *    legs), unless the same spread is open; contracts = floor of the smallest of equity·risk,
 *    heat·equity - open risk, and the group's share of the heat budget minus its open risk,
 *    each over the max loss per contract (width - credit)·100 + 2·commission.
 * 5. End-of-day equity and cash.
 * Settlement price of an expiry: the bars' close on the expiry date when they have it, else,
 * going back from the expiry date over the data's days, the first day's bar close, or that
 * day's snapshot stock price where the bars lack it.
 *
 * @module
 */
import type { StrategyConfig } from "../../lib/mod.ts";
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
}

/** A completed trade of the reference. */
export interface RefTrade {
  ticker: string;
  entryDay: number;
  exitDay: number;
  expiry: number;
  shortStrike: number;
  longStrike: number;
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
}

/** The reference's result. */
export interface RefResult {
  trades: RefTrade[];
  equity: RefDay[];
  ties: RefTies;
  /** Days on which a held spread had no usable pair (last pair kept). */
  missingQuotes: number;
}

interface Quote {
  bid: Q;
  ask: Q;
}

interface Position {
  ticker: string;
  expiry: number;
  shortStrike: number;
  longStrike: number;
  contracts: number;
  credit: Q;
  entryCommission: Q;
  maxLoss: Q;
  entryDay: number;
  short: Quote;
  long: Quote;
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

/**
 * Runs the reference over a market with a validated configuration.
 *
 * @param market rows and bars
 * @param config the configuration (IV-percentile filter off)
 */
export function referenceRun(market: RefMarket, config: StrategyConfig): RefResult {
  if (config.entry.iv_percentile_min !== 0) {
    throw new Error("The reference needs the IV filter off");
  }
  const e = config.entry;
  const putSide = config.strategy.strategy_type === "bull_put_spread";
  const s = Q.dec(config.simulation.slippage_pct[1]);
  const fee = Q.dec(config.simulation.commission_per_contract);
  const pt = Q.dec(config.exit.profit_target_pct);
  const sl = Q.dec(config.exit.stop_loss_pct);
  const minCredit = Q.dec(e.min_credit_pct);
  const maxBidAsk = Q.dec(e.max_bid_ask_pct);
  const widthMin = Q.dec(e.spread_width_min);
  const widthMax = Q.dec(e.spread_width_max);
  const sizing = config.position_sizing;
  const risk = Q.dec(sizing.max_risk_per_trade_pct);
  const heat = Q.dec(sizing.max_portfolio_heat_pct);
  const correlated = Q.dec(sizing.max_correlated_exposure_pct);
  const onFill = config.simulation.exit_trigger === "fill";
  const underlyings = [config.strategy.underlying].flat();

  const sell = (q: Quote) => q.ask.sub(q.ask.sub(q.bid).mul(s));
  const buy = (q: Quote) => q.bid.add(q.ask.sub(q.bid).mul(s));
  const mid = (q: Quote) => q.bid.add(q.ask).div(TWO);
  const markOf = (p: Position) => mid(p.short).sub(mid(p.long));
  const closeCostOf = (p: Position) => buy(p.short).sub(sell(p.long));
  const liquid = (r: RefRow) => {
    const q = quoteOf(r);
    return r.openInterest >= e.min_open_interest && r.volume >= e.min_volume &&
      q.ask.sub(q.bid).le(maxBidAsk.mul(mid(q)));
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
  const intrinsic = (strike: number, spot: Q) => {
    const k = Q.dec(strike);
    const v = putSide ? k.sub(spot) : spot.sub(k);
    return v.gt(ZERO) ? v : ZERO;
  };

  let cash = Q.dec(config.simulation.starting_equity);
  const open: Position[] = [];
  const trades: RefTrade[] = [];
  const equity: RefDay[] = [];
  const ties: RefTies = { minCredit: 0, profitTarget: 0, stopLoss: 0, sizing: 0 };
  let missingQuotes = 0;

  const close = (p: Position, day: number, debit: Q, commission: Q, reason: string) => {
    cash = cash.sub(debit.mul(HUNDRED).mul(Q.int(p.contracts))).sub(commission);
    const total = p.entryCommission.add(commission);
    trades.push({
      ticker: p.ticker,
      entryDay: p.entryDay,
      exitDay: day,
      expiry: p.expiry,
      shortStrike: p.shortStrike,
      longStrike: p.longStrike,
      contracts: p.contracts,
      entryCredit: p.credit,
      exitDebit: debit,
      commission: total,
      pnl: p.credit.sub(debit).mul(HUNDRED).mul(Q.int(p.contracts)).sub(total),
      exitReason: reason,
    });
  };
  const openValue = () =>
    open.reduce((v, p) => v.sub(markOf(p).mul(HUNDRED).mul(Q.int(p.contracts))), ZERO);

  calendar.forEach((day, index) => {
    const lastDay = index === calendar.length - 1;
    // 1-2. Mark and exits.
    for (const p of [...open]) {
      const snap = snapshots.get(`${p.ticker}|${day}`);
      const sr = snap?.get(contractKey(p.expiry, putSide, p.shortStrike));
      const lr = snap?.get(contractKey(p.expiry, putSide, p.longStrike));
      const quoted = !!sr && !!lr && usable(sr) && usable(lr);
      if (quoted) {
        p.short = quoteOf(sr!);
        p.long = quoteOf(lr!);
      }
      if (day === p.entryDay) continue;
      if (!quoted) missingQuotes++;
      const dte = p.expiry - day;
      const closeCost = closeCostOf(p);
      const trigger = onFill ? closeCost : markOf(p);
      const exitFee = TWO.mul(fee).mul(Q.int(p.contracts));
      let reason: string | null = null;
      if (quoted && dte >= 0) {
        const target = p.credit.mul(Q.int(1).sub(pt));
        const stop = p.credit.mul(Q.int(1).add(sl));
        if (trigger.le(target)) {
          reason = "profit_target";
          if (trigger.eq(target)) ties.profitTarget++;
        } else if (trigger.ge(stop)) {
          reason = "stop_loss";
          if (trigger.eq(stop)) ties.stopLoss++;
        } else if (dte > 0 && dte <= config.exit.dte_exit) reason = "time_exit";
      }
      if (reason) close(p, day, closeCost, exitFee, reason);
      else if (dte <= 0) {
        const spot = settlement(p.ticker, p.expiry);
        const shortValue = intrinsic(p.shortStrike, spot);
        const longValue = intrinsic(p.longStrike, spot);
        const itm = (shortValue.gt(ZERO) ? 1 : 0) + (longValue.gt(ZERO) ? 1 : 0);
        close(
          p,
          day,
          shortValue.sub(longValue),
          Q.int(itm).mul(fee).mul(Q.int(p.contracts)),
          "expiration",
        );
      } else if (lastDay) close(p, day, closeCost, exitFee, "end_of_period");
      else continue;
      open.splice(open.indexOf(p), 1);
    }

    // 3-4. Equity after exits, then the entry.
    const equityNow = cash.add(openValue());
    if (!lastDay && open.length < sizing.max_positions) {
      const passing: Array<{ short: RefRow; long: RefRow; credit: Q; width: Q }> = [];
      for (const ticker of underlyings) {
        const snap = snapshots.get(`${ticker}|${day}`);
        if (!snap) continue;
        for (const r of snap.values()) {
          const dte = r.expiry - day;
          if (r.put !== putSide || !usable(r) || dte < e.dte_min || dte > e.dte_max) continue;
          const absDelta = Math.abs(r.delta);
          if (absDelta < e.short_delta_min || absDelta > e.short_delta_max || !liquid(r)) continue;
          for (const l of snap.values()) {
            if (l.expiry !== r.expiry || l.put !== putSide || !usable(l) || !liquid(l)) continue;
            const further = putSide ? l.strike < r.strike : l.strike > r.strike;
            const width = Q.dec(r.strike).sub(Q.dec(l.strike));
            const absWidth = width.lt(ZERO) ? width.neg() : width;
            if (!further || absWidth.lt(widthMin) || absWidth.gt(widthMax)) continue;
            const credit = sell(quoteOf(r)).sub(buy(quoteOf(l)));
            const floor = minCredit.mul(absWidth);
            if (credit.lt(floor) || credit.ge(absWidth)) continue;
            if (credit.eq(floor)) ties.minCredit++;
            passing.push({ short: r, long: l, credit, width: absWidth });
          }
        }
      }
      if (passing.length > 1) {
        throw new Error(`Scenario error: ${passing.length} spreads pass on day ${day}`);
      }
      const c = passing[0];
      if (
        c &&
        !open.some((p) =>
          p.ticker === c.short.ticker && p.expiry === c.short.expiry &&
          p.shortStrike === c.short.strike && p.longStrike === c.long.strike
        )
      ) {
        const perContract = c.width.sub(c.credit).mul(HUNDRED).add(TWO.mul(fee));
        const openRisk = open.reduce((a, p) => a.add(p.maxLoss), ZERO);
        let units = equityNow.mul(risk).div(perContract);
        units = Q.min(units, heat.mul(equityNow).sub(openRisk).div(perContract));
        const g = groupOf(c.short.ticker);
        if (g >= 0) {
          const groupRisk = open.filter((p) => groupOf(p.ticker) === g)
            .reduce((a, p) => a.add(p.maxLoss), ZERO);
          units = Q.min(
            units,
            correlated.mul(heat).mul(equityNow).sub(groupRisk).div(perContract),
          );
        }
        const contracts = Number(units.floor());
        if (contracts >= 1) {
          if (units.isInteger()) ties.sizing++;
          const entryCommission = TWO.mul(fee).mul(Q.int(contracts));
          cash = cash.add(c.credit.mul(HUNDRED).mul(Q.int(contracts))).sub(entryCommission);
          open.push({
            ticker: c.short.ticker,
            expiry: c.short.expiry,
            shortStrike: c.short.strike,
            longStrike: c.long.strike,
            contracts,
            credit: c.credit,
            entryCommission,
            maxLoss: perContract.mul(Q.int(contracts)),
            entryDay: day,
            short: quoteOf(c.short),
            long: quoteOf(c.long),
          });
        }
      }
    }
    // 5. End of day.
    equity.push({ day, equity: cash.add(openValue()), cash });
  });
  return { trades, equity, ties, missingQuotes };
}
