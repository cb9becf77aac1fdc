/**
 * Seeded random scenarios for the differential test: one or two underlyings, a few months of
 * weekly expiries, whole-cent quotes, and at most one spread a day that passes the entry
 * filters (one strike a day has its |delta| in the band, and the width band is one strike
 * step). On top of a random market, each scenario plants the cases that matter:
 * - credits equal to min_credit_pct × width, marks (or close costs) equal to the profit-target
 *   or stop level of an open spread, and deltas on the band's edges (exact ties);
 * - duplicate rows of a held leg (with nonsense quotes) and missing or unusable leg quotes;
 * - expiry dates that no chain file covers while the bars do;
 * - missing days, zero bids and crossed quotes, and random sizing caps.
 * Ties are planted at positions found by a first run of the reference model; the final run
 * then sees them wherever the positions still exist.
 *
 * @module
 */
import { bsPrice, isoToDay, type StrategyConfig, validateConfig } from "../../lib/mod.ts";
import { Q } from "../helpers/rational.ts";
import { referenceRun, type RefMarket, type RefRow } from "./reference_model.ts";

/** A scenario: the configuration and the market. */
export interface Scenario {
  seed: number;
  config: StrategyConfig;
  market: RefMarket;
}

/** Mulberry32: a small seeded generator of floats in [0, 1). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whole cents c with bid = c, ask = c + q (q in [0, 60]) such that f(bid, ask) = target. */
function plantQuote(
  target: Q,
  f: (bid: Q, ask: Q) => Q,
  pick: () => number,
): [number, number] | null {
  const start = Math.floor(pick() * 20);
  for (let k = 0; k <= 60; k++) {
    const q = (start + k) % 61;
    // f is affine in the bid for a fixed width: f(b) = f(0) + b·slope.
    const at0 = f(Q.int(0), Q.cents(q));
    const slope = f(Q.int(1), Q.int(1).add(Q.cents(q))).sub(at0);
    if (slope.eq(Q.int(0))) continue;
    const bid = target.sub(at0).div(slope).mul(Q.int(100));
    if (bid.isInteger() && bid.gt(Q.int(0)) && bid.lt(Q.int(100000))) {
      const b = Number(bid.floor());
      return [b, b + q];
    }
  }
  return null;
}

/**
 * What a scenario trades: one vertical (its side drawn), both sides, or iron condors; "rules" is
 * the vertical scenario of the seed with the risk rules' exits drawn on top (dte_exit_first,
 * max_days_held, a trailing stop).
 */
export type ScenarioMode = "vertical" | "both" | "condor" | "rules";

/**
 * The scenario of a seed.
 *
 * In "vertical" mode one side's contracts are listed and at most one spread a day passes. In
 * "both" and "condor" modes puts and calls are listed, one short strike a day on each side has
 * its |delta| in the band, the call side may have its own delta band and twice the width band
 * (so up to two call verticals per short call), and the score is credit / width alone: the
 * candidates of a day are ranked, and up to three entered.
 *
 * @param seed any integer
 * @param mode what to trade (default "vertical")
 */
export function scenario(seed: number, mode: ScenarioMode = "vertical"): Scenario {
  const rules = mode === "rules";
  if (rules) mode = "vertical";
  const r = rng(mode === "vertical" ? seed : seed * 7919 + (mode === "both" ? 1 : 2));
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const tickers = r() < 0.5 ? ["SPY"] : ["QQQ", "SPY"];
  const putSide = r() < 0.5;
  const width = pick([1, 2, 5]);
  const dteMin = pick([5, 10, 14, 20]);
  const deltaMin = pick([0.1, 0.15]);
  const deltaMax = Math.round((deltaMin + pick([0.05, 0.1])) * 100) / 100;
  const slippage = pick([0, 0.5, 0.66, 0.75]);
  const vertical = mode === "vertical";
  // Both sides and condors: the call side's own keys, entries a day, four-leg slippage.
  const callDelta = vertical || r() < 0.5 ? null : pick([0.05, 0.12]);
  const callWide = !vertical && r() < 0.5;
  const sides = vertical ? {} : {
    call: {
      ...(callDelta === null ? {} : {
        short_delta_min: callDelta,
        short_delta_max: Math.round((callDelta + 0.08) * 100) / 100,
      }),
      ...(callWide ? { spread_width_max: 2 * width } : {}),
      ...(r() < 0.3 ? { min_open_interest: 0, min_volume: 0 } : {}),
    },
  };
  const entriesPerDay = vertical ? 1 : pick([1, 2, 3]);
  const slippage4 = vertical ? 0.53 : pick([0, 0.5, 0.53, 0.75]);
  const config = validateConfig({
    strategy: {
      underlying: tickers.length === 1 ? "SPY" : tickers,
      strategy_type: mode === "both"
        ? ["bull_put_spread", "bear_call_spread"]
        : mode === "condor"
        ? "iron_condor"
        : putSide
        ? "bull_put_spread"
        : "bear_call_spread",
    },
    entry: {
      dte_min: dteMin,
      dte_max: dteMin + pick([10, 15]),
      short_delta_min: deltaMin,
      short_delta_max: deltaMax,
      spread_width_min: width,
      spread_width_max: width,
      min_credit_pct: pick([0.05, 0.08, 0.1, 0.15, 0.2]),
      iv_percentile_min: 0,
      min_open_interest: pick([0, 100]),
      min_volume: pick([0, 10]),
      max_bid_ask_pct: pick([0.5, 1, 10]),
      ...sides,
    },
    exit: {
      profit_target_pct: pick([0.25, 0.4, 0.5, 0.75, 0.9, 1]),
      stop_loss_pct: pick([0.5, 1, 1.25, 2, 3, 5]),
      dte_exit: pick([0, 0, 3, 7]),
      ...(rules ? exitRules(seed) : {}),
    },
    position_sizing: {
      max_risk_per_trade_pct: pick([0.01, 0.02, 0.05]),
      max_portfolio_heat_pct: pick([0.03, 0.06, 0.1, 1]),
      max_positions: pick([1, 2, 3, 5]),
      max_correlated_exposure_pct: pick([0.3, 0.5, 1]),
      correlation_groups: pick([[["SPY", "QQQ", "IWM"]], [], [["SPY"]]]),
    },
    simulation: {
      starting_equity: pick([20000, 100000]),
      commission_per_contract: pick([0, 0.65, 1]),
      slippage_pct: [0.75, slippage, 0.56, slippage4],
      exit_trigger: r() < 0.3 ? "fill" : "mid",
      max_entries_per_day: entriesPerDay,
    },
    scoring: vertical
      ? {}
      : { expected_value: 0, iv_percentile: 0, delta_distance: 0, credit_width: 1 },
  });

  // Trading days: weekdays from a Monday; expiries: the Fridays.
  const first = isoToDay("2024-01-01") + 7 * Math.floor(r() * 20);
  const weekdays: number[] = [];
  for (let day = first; weekdays.length < 45 + Math.floor(r() * 35); day++) {
    const wd = (day + 4) % 7; // 0 = Sunday
    if (wd !== 0 && wd !== 6) weekdays.push(day);
  }
  const last = weekdays[weekdays.length - 1];
  const expiries: number[] = [];
  for (let day = first + 4; day <= last + 60; day += 7) expiries.push(day);

  // Some expiry dates have no chains at all (for every underlying) while the bars have them.
  const chainless = new Set(expiries.filter((x) => x <= last && r() < 0.25));
  const designated = new Map(weekdays.map((day) => [day, pick(tickers)]));
  const rows: RefRow[] = [];
  const bars = new Map<string, Map<number, number>>();
  const e = config.entry;
  // The option types listed: the vertical's side, or both.
  const types = vertical ? [putSide] : [true, false];
  const callBand = callDelta === null ? [deltaMin, deltaMax] : [callDelta, callDelta + 0.08];
  for (const ticker of tickers) {
    let spot = 9000 + Math.floor(r() * 2000); // cents
    const lo = Math.ceil(spot * 0.008 / width) * width;
    const hi = Math.floor(spot * 0.012 / width) * width;
    const tickerBars = new Map<number, number>();
    bars.set(ticker, tickerBars);
    for (const day of weekdays) {
      spot = Math.max(2000, Math.round(spot * (1 + 0.018 * (r() + r() + r() - 1.5))));
      if (r() < 0.9 || chainless.has(day)) tickerBars.set(day, spot + Math.floor(r() * 11) - 5);
      if (r() < 0.05 || chainless.has(day)) continue; // a missing day for this underlying
      const vol = 0.15 + 0.35 * r();
      // The one short strike of the day per side whose |delta| is in the band (sometimes none);
      // an iron condor's two on one expiry.
      const chosen: Array<{ put: boolean; expiry: number; strike: number; delta: number }> = [];
      const eligible = expiries.filter((x) => x - day >= e.dte_min && x - day <= e.dte_max);
      if (eligible.length && r() < 0.7 && designated.get(day) === ticker) {
        const expiry = vertical ? -1 : pick(eligible);
        for (const put of types) {
          const moneyness = 0.85 + 0.14 * r();
          const target = put ? spot / 100 * moneyness : spot / 100 / moneyness;
          const strike = Math.round(target / width) * width;
          const longStrike = strike + (put ? -1 : 1) * width;
          if (strike >= lo && strike <= hi && longStrike >= lo && longStrike <= hi) {
            const [bandMin, bandMax] = put ? [deltaMin, deltaMax] : callBand;
            const u = r();
            const delta = u < 0.15
              ? bandMin
              : u < 0.3
              ? bandMax
              : bandMin + (bandMax - bandMin) * r();
            const at = vertical ? pick(eligible) : mode === "condor" ? expiry : pick(eligible);
            chosen.push({ put, expiry: at, strike, delta });
          }
        }
      }
      for (const expiry of expiries) {
        const dte = expiry - day;
        if (dte < 0 || dte > 60) continue;
        for (let strike = lo; strike <= hi; strike += width) {
          for (const put of types) {
            const value = dte === 0
              ? Math.max(put ? strike - spot / 100 : spot / 100 - strike, 0)
              : bsPrice(put ? "put" : "call", spot / 100, strike, dte / 365, 0, vol);
            const spread = r() < 0.9 ? pick([0, 1, 1, 2, 2, 3]) : pick([5, 10, 20]);
            // At expiry an out-of-the-money option has no bid (an unusable quote).
            let bid = dte === 0 && value === 0
              ? 0
              : Math.max(1, Math.round(value * 100 - spread / 2));
            let ask = bid + spread;
            const u = r();
            if (u < 0.01) bid = 0; // zero bid
            else if (u < 0.015) [bid, ask] = [ask + 1, bid]; // crossed
            const pick1 = chosen.find((c) =>
              c.put === put && c.expiry === expiry && c.strike === strike
            );
            const sign = put ? -1 : 1;
            rows.push({
              ticker,
              day,
              expiry,
              strike,
              put,
              bidCents: bid,
              askCents: ask,
              delta: pick1 ? sign * pick1.delta : sign * 0.9,
              openInterest: r() < 0.1 ? 50 : 500,
              volume: r() < 0.1 ? 5 : 50,
              stockCents: spot,
              badGreeks: r() < 0.005,
            });
          }
        }
      }
      // Sometimes the chosen position's credit is exactly min_credit_pct × width.
      if (chosen.length && r() < 0.35) {
        plantMinCredit(rows, ticker, day, chosen, width, config, r);
      }
    }
  }
  const market: RefMarket = { rows, bars };
  plantAroundPositions(market, config, r);
  return { seed, config, market };
}

/** The risk rules' exits of a "rules" scenario, drawn from their own stream. */
function exitRules(seed: number): Record<string, unknown> {
  const r = rng(seed * 104729 + 3);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const out: Record<string, unknown> = {};
  if (r() < 0.5) out.dte_exit_first = true;
  const held = pick([null, 3, 5, 8, 12]);
  if (held !== null) out.max_days_held = held;
  if (r() < 0.7) {
    out.trailing_activation_pct = pick([0, 0.1, 0.2, 0.3, 0.5]);
    out.trailing_giveback_pct = pick([0, 0.25, 0.5, 0.75, 1]);
  }
  return out;
}

/**
 * Sets the first chosen short leg's quote so that the chosen position's credit (a vertical at
 * two-leg slippage, or an iron condor's four legs with the call side at the narrow width) is
 * exactly min_credit_pct × width.
 */
function plantMinCredit(
  rows: RefRow[],
  ticker: string,
  day: number,
  chosen: Array<{ put: boolean; expiry: number; strike: number }>,
  width: number,
  config: StrategyConfig,
  r: () => number,
): void {
  const rowOf = (put: boolean, expiry: number, strike: number) =>
    rows.find((x) =>
      x.ticker === ticker && x.day === day && x.put === put && x.expiry === expiry &&
      x.strike === strike
    );
  const condor = config.strategy.strategy_type === "iron_condor";
  const legs = condor ? chosen : chosen.slice(0, 1);
  if (condor && legs.length < 2) return;
  const s = Q.dec(config.simulation.slippage_pct[condor ? 3 : 1]);
  const quotes = legs.map((c) => ({
    short: rowOf(c.put, c.expiry, c.strike)!,
    long: rowOf(c.put, c.expiry, c.strike + (c.put ? -1 : 1) * width)!,
  }));
  if (quotes.some((q) => !q.long || q.long.bidCents <= 0 || q.long.bidCents > q.long.askCents)) {
    return;
  }
  const buy = (row: RefRow) =>
    Q.cents(row.bidCents).add(Q.cents(row.askCents - row.bidCents).mul(s));
  const sell = (row: RefRow) =>
    Q.cents(row.askCents).sub(Q.cents(row.askCents - row.bidCents).mul(s));
  // The rest of the order: the first side's long leg, the other side's two legs.
  let rest = buy(quotes[0].long).neg();
  for (const q of quotes.slice(1)) rest = rest.add(sell(q.short)).sub(buy(q.long));
  const target = Q.dec(config.entry.min_credit_pct).mul(Q.int(width));
  const planted = plantQuote(target, (bid, ask) => ask.sub(ask.sub(bid).mul(s)).add(rest), r);
  if (planted) [quotes[0].short.bidCents, quotes[0].short.askCents] = planted;
}

/**
 * Plants exact exit ties and duplicate and missing leg rows around the positions of a first
 * reference run.
 */
function plantAroundPositions(market: RefMarket, config: StrategyConfig, r: () => number): void {
  const first = referenceRun(market, config);
  const onFill = config.simulation.exit_trigger === "fill";
  const rowOf = (ticker: string, day: number, expiry: number, put: boolean, strike: number) =>
    market.rows.findIndex((x) =>
      x.ticker === ticker && x.day === day && x.expiry === expiry && x.put === put &&
      x.strike === strike
    );
  const usable = (x: RefRow) => x.bidCents > 0 && x.bidCents <= x.askCents;
  for (const t of first.trades) {
    const life = [...new Set(market.rows.map((x) => x.day))].filter((d) =>
      d > t.entryDay && d <= t.exitDay
    ).sort((a, b) => a - b);
    if (!life.length) continue;
    const day = life[Math.floor(r() * life.length)];
    // The legs, sold first on each side: a vertical's two, an iron condor's four.
    const legs = t.kind === "iron_condor"
      ? [[true, t.shortStrike], [true, t.longStrike], [false, t.callShortStrike!], [
        false,
        t.callLongStrike!,
      ]] as const
      : [[t.kind === "bull_put", t.shortStrike], [t.kind === "bull_put", t.longStrike]] as const;
    const rows = legs.map(([put, strike]) => rowOf(t.ticker, day, t.expiry, put, strike));
    if (rows.some((i) => i < 0)) continue;
    const s = Q.dec(config.simulation.slippage_pct[legs.length - 1]);
    const u = r();
    if (u < 0.5) {
      // A trigger exactly at the profit-target or the stop level, planted on the first leg.
      const level = r() < 0.5
        ? t.entryCredit.mul(Q.int(1).sub(Q.dec(config.exit.profit_target_pct)))
        : t.entryCredit.mul(Q.int(1).add(Q.dec(config.exit.stop_loss_pct)));
      // The other legs' part of the trigger: + a leg sold's, - a leg bought's.
      let rest = Q.int(0);
      rows.slice(1).forEach((i, k) => {
        const x = market.rows[i];
        const b = Q.cents(x.bidCents), a = Q.cents(x.askCents);
        const sold = k % 2 === 1; // rows[1] is bought, rows[2] sold, rows[3] bought
        const part = onFill
          ? (sold ? b.add(a.sub(b).mul(s)) : a.sub(a.sub(b).mul(s)))
          : b.add(a).div(Q.int(2));
        rest = sold ? rest.add(part) : rest.sub(part);
      });
      const planted = plantQuote(
        level,
        (bid, ask) =>
          (onFill ? bid.add(ask.sub(bid).mul(s)) : bid.add(ask).div(Q.int(2))).add(rest),
        r,
      );
      if (planted && rows.slice(1).every((i) => usable(market.rows[i]))) {
        [market.rows[rows[0]].bidCents, market.rows[rows[0]].askCents] = planted;
        market.rows[rows[0]].badGreeks = false;
      }
    } else if (u < 0.7) {
      // A duplicate row of a held leg, with nonsense quotes, right after the original.
      const i = rows.length === 2 ? (r() < 0.5 ? rows[0] : rows[1]) : rows[Math.floor(r() * 4)];
      market.rows.splice(i + 1, 0, { ...market.rows[i], bidCents: 1, askCents: 999 });
    } else if (u < 0.8) {
      // A held leg missing that day.
      const i = rows.length === 2 ? (r() < 0.5 ? rows[0] : rows[1]) : rows[Math.floor(r() * 4)];
      market.rows.splice(i, 1);
    }
  }
}
