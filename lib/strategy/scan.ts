/**
 * `scanCandidates(store, date, config)` and `scan(store, date, config)`: the day's spreads that
 * pass every entry filter, ranked best first, as records or as a polars frame, each with its
 * position greeks and the rationale of its entry.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { ChainStore } from "../data/chain_store.ts";
import { toDay } from "../data/chain_store.ts";
import { dayToIso } from "../data/dates.ts";
import { spreadGreeks } from "../pricing/spread.ts";
import {
  CandidateBuffer,
  KIND_IRON_CONDOR,
  ranksBefore,
  scanDay,
  SPREAD_TYPE_OF,
} from "./_scanner.ts";
import { entryQuoteOf, entryRationale, rationaleText, scoreTermsOf } from "./_rationale.ts";
import type { StrategyConfig } from "./config.ts";
import { ivPercentileTable } from "./iv_rank.ts";
import { paramsFromConfig } from "./params.ts";
import { DayFilters, dayFiltersOn } from "./rule_filters.ts";
import type { SpreadCandidate } from "./spread.ts";
import { legOf } from "./_legs.ts";

/**
 * The candidates of every configured underlying on one day, best score first (ties by
 * underlying, expiry and strikes).
 *
 * @param store the chain
 * @param date YYYY-MM-DD (or a day number)
 * @param config validated configuration
 * @returns the candidates; empty when none passes or the day is not a trading day of the data
 *
 * @example The best 20-45 DTE bull put spread of a sample day, and why it qualified
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData } from "../mod.ts";
 * import { scanCandidates } from "./scan.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-03-01", end: "2024-03-29", seed: 5 });
 * const store = buildChainStore(loadMarketData(dir));
 * const [best] = scanCandidates(store, "2024-03-15", loadConfig("config/test_config.toml"));
 * assert.equal(best.spreadType, "bull_put");
 * assert.ok(best.shortLeg.strike > best.longLeg.strike && best.credit >= 0.1 * best.width);
 * assert.ok(best.greeks.theta > 0 && best.greeks.vega < 0 && best.greeks.delta > 0);
 * assert.equal(best.rationale.filters.find((f) => f.filter === "min_credit_pct")!.value, best.credit);
 * ```
 */
export function scanCandidates(
  store: ChainStore,
  date: string | number,
  config: StrategyConfig,
): SpreadCandidate[] {
  const p = paramsFromConfig(config);
  const d = store.dayIndex(toDay(date));
  if (d < 0) return [];
  const buf = new CandidateBuffer();
  const pct = ivPercentileTable(store, p.ivHistoryDays);
  const rules = dayFiltersOn(p) ? new DayFilters(store, p) : null;
  for (const u of p.underlyings) {
    const t = store.tickerIndex(u);
    if (t >= 0) scanDay(store, t, d, pct[t * store.nDays + d], p, buf, rules);
  }
  const order = Array.from({ length: buf.count }, (_, i) => i).sort((a, b) =>
    ranksBefore(store, buf, a, b) ? -1 : ranksBefore(store, buf, b, a) ? 1 : 0
  );
  const c = store.columns;
  return order.map((n) => {
    const s = buf.shortRow[n];
    const shortLeg = legOf(store, s, p.riskFreeRate);
    const longLeg = legOf(store, buf.longRow[n], p.riskFreeRate);
    const ivPct = pct[c.underlying[s] * store.nDays + d];
    const rationale = entryRationale(entryQuoteOf(store, buf, n, ivPct), scoreTermsOf(buf, n), p);
    const spread: SpreadCandidate = {
      underlying: store.tickers[c.underlying[s]],
      spreadType: SPREAD_TYPE_OF[buf.kind[n]],
      date: dayToIso(c.day[s]),
      expiration: dayToIso(c.expiry[s]),
      dte: c.expiry[s] - c.day[s],
      underlyingPrice: c.stockPrice[s],
      shortLeg,
      longLeg,
      width: Math.abs(shortLeg.strike - longLeg.strike),
      greeks: spreadGreeks(shortLeg, longLeg),
      credit: buf.credit[n],
      maxLoss: buf.maxLoss[n],
      pItm: buf.pItm[n],
      expectedValue: buf.expectedValue[n],
      ivPercentile: Number.isNaN(ivPct) ? null : ivPct,
      score: rationale.score,
      rationale,
    };
    if (buf.kind[n] === KIND_IRON_CONDOR) {
      const callShortLeg = legOf(store, buf.callShortRow[n], p.riskFreeRate);
      const callLongLeg = legOf(store, buf.callLongRow[n], p.riskFreeRate);
      const call = spreadGreeks(callShortLeg, callLongLeg);
      const g = spread.greeks;
      spread.callShortLeg = callShortLeg;
      spread.callLongLeg = callLongLeg;
      spread.width = Math.max(spread.width, Math.abs(callShortLeg.strike - callLongLeg.strike));
      spread.greeks = {
        delta: g.delta + call.delta,
        gamma: g.gamma + call.gamma,
        theta: g.theta + call.theta,
        vega: g.vega + call.vega,
        rho: g.rho + call.rho,
      };
    }
    return spread;
  });
}

/**
 * The day's candidates as a polars frame, best first: underlying, spread_type, expiration,
 * dte, underlying_price, the legs' strikes and deltas (an iron condor's put side; its call
 * side in call_short_strike, call_long_strike, call_short_delta and call_long_delta when the
 * day has iron condors), width, credit (after slippage),
 * credit_pct_width, max_loss, p_itm, expected_value, iv_percentile, the position's net greeks
 * per share (net_delta, net_gamma, net_theta, net_vega, net_rho: long leg minus short leg), the
 * score's four terms, score, and entry_rationale (each filter against its threshold).
 *
 * @param store the chain
 * @param date YYYY-MM-DD (or a day number)
 * @param config validated configuration
 * @returns one row per candidate; an empty frame (same columns and types) when none
 *
 * @example Candidates come best first, with positive theta and negative vega
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData } from "../mod.ts";
 * import { scan } from "./scan.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-03-01", end: "2024-03-29", seed: 5 });
 * const store = buildChainStore(loadMarketData(dir));
 * const frame = scan(store, "2024-03-15", loadConfig("config/test_config.toml"));
 * const scores = frame.getColumn("score").toArray() as number[];
 * assert.ok(scores.length > 0 && scores.every((s, i) => i === 0 || s <= scores[i - 1]));
 * assert.ok((frame.getColumn("net_theta").toArray() as number[]).every((x) => x > 0));
 * ```
 */
export function scan(
  store: ChainStore,
  date: string | number,
  config: StrategyConfig,
): pl.DataFrame {
  const cs = scanCandidates(store, date, config);
  const f64 = (name: string, f: (x: SpreadCandidate) => number) =>
    pl.Series(name, Float64Array.from(cs, f));
  const text = (name: string, f: (x: SpreadCandidate) => string) =>
    pl.Series(name, cs.map(f), pl.Utf8);
  // An iron condor's call side, in columns of their own (only when the day has condors).
  const condor = cs.some((x) => x.callShortLeg)
    ? [
      f64("call_short_strike", (x) => x.callShortLeg?.strike ?? NaN),
      f64("call_long_strike", (x) => x.callLongLeg?.strike ?? NaN),
      f64("call_short_delta", (x) => x.callShortLeg?.delta ?? NaN),
      f64("call_long_delta", (x) => x.callLongLeg?.delta ?? NaN),
    ]
    : [];
  return pl.DataFrame([
    text("underlying", (x) => x.underlying),
    text("spread_type", (x) => x.spreadType),
    pl.Series("expiration", cs.map((x) => x.expiration), pl.Utf8).str.strptime(pl.Date, "%Y-%m-%d"),
    pl.Series("dte", Int32Array.from(cs, (x) => x.dte)),
    f64("underlying_price", (x) => x.underlyingPrice),
    f64("short_strike", (x) => x.shortLeg.strike),
    f64("long_strike", (x) => x.longLeg.strike),
    f64("width", (x) => x.width),
    f64("short_delta", (x) => x.shortLeg.delta),
    f64("long_delta", (x) => x.longLeg.delta),
    ...condor,
    f64("credit", (x) => x.credit),
    f64("credit_pct_width", (x) => x.credit / x.width),
    f64("max_loss", (x) => x.maxLoss),
    f64("p_itm", (x) => x.pItm),
    f64("expected_value", (x) => x.expectedValue),
    pl.Series("iv_percentile", cs.map((x) => x.ivPercentile), pl.Float64),
    f64("net_delta", (x) => x.greeks.delta),
    f64("net_gamma", (x) => x.greeks.gamma),
    f64("net_theta", (x) => x.greeks.theta),
    f64("net_vega", (x) => x.greeks.vega),
    f64("net_rho", (x) => x.greeks.rho),
    f64("score_expected_value", (x) => x.score.expected_value),
    f64("score_iv_percentile", (x) => x.score.iv_percentile),
    f64("score_delta_distance", (x) => x.score.delta_distance),
    f64("score_credit_width", (x) => x.score.credit_width),
    f64("score", (x) => x.score.total),
    text("entry_rationale", (x) => rationaleText(x.rationale)),
  ]);
}
