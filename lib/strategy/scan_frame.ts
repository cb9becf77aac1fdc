/**
 * `scan(store, date, config)`: the day's candidates as a polars frame, best first.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { ChainStore } from "../data/chain_store.ts";
import { toDay } from "../data/chain_store.ts";
import type { StrategyConfig } from "./config.ts";
import { atmIv30, ivPercentile } from "./iv_rank.ts";
import { paramsFromConfig } from "./params.ts";
import { CandidateBuffer, ranksBefore, scanDay } from "./scanner.ts";

/**
 * Candidates of every configured underlying on one day, ranked best first, with both legs,
 * width, credit after slippage, max loss, spread greeks (short - long), P(ITM), IV percentile
 * and score.
 *
 * @param store the chain
 * @param date ISO date
 * @param config validated configuration
 * @returns one row per candidate (empty when none pass the filters or the day is not traded)
 */
export function scan(store: ChainStore, date: string, config: StrategyConfig): pl.DataFrame {
  const p = paramsFromConfig(config);
  const d = store.dayIndex(toDay(date));
  const buf = new CandidateBuffer();
  const pct = d >= 0 ? ivPercentile(atmIv30(store), store, p.ivHistoryDays) : new Float64Array();
  if (d >= 0) {
    for (const u of p.underlyings) {
      const t = store.tickerIndex(u);
      if (t >= 0) scanDay(store, t, d, pct[t * store.nDays + d], p, buf);
    }
  }
  const order = Array.from({ length: buf.count }, (_, i) => i).sort((a, b) =>
    ranksBefore(store, buf, a, b) ? -1 : ranksBefore(store, buf, b, a) ? 1 : 0
  );
  const c = store.columns;
  const s = (i: number) => buf.shortRow[i];
  const l = (i: number) => buf.longRow[i];
  const num = (f: (i: number) => number) => Float64Array.from(order, f);
  return pl.DataFrame({
    underlying: pl.Series(
      "underlying",
      order.map((i) => store.tickers[c.underlying[s(i)]]),
      pl.Utf8,
    ),
    expiration: pl.Series("expiration", Int32Array.from(order, (i) => c.expiry[s(i)])).cast(
      pl.Date,
    ),
    dte: Int32Array.from(order, (i) => c.expiry[s(i)] - c.day[s(i)]),
    short_strike: num((i) => c.strike[s(i)]),
    long_strike: num((i) => c.strike[l(i)]),
    width: num((i) => Math.abs(c.strike[s(i)] - c.strike[l(i)])),
    short_delta: num((i) => c.delta[s(i)]),
    credit: num((i) => buf.credit[i]),
    credit_pct_width: num((i) => buf.credit[i] / Math.abs(c.strike[s(i)] - c.strike[l(i)])),
    max_loss: num((i) => buf.maxLoss[i]),
    p_itm: num((i) => buf.pItm[i]),
    expected_value: num((i) => buf.expectedValue[i]),
    spread_delta: num((i) => c.delta[s(i)] - c.delta[l(i)]),
    spread_gamma: num((i) => c.gamma[s(i)] - c.gamma[l(i)]),
    spread_theta: num((i) => c.theta[s(i)] - c.theta[l(i)]),
    spread_vega: num((i) => c.vega[s(i)] - c.vega[l(i)]),
    iv_percentile: num((i) => pct[c.underlying[s(i)] * store.nDays + d]),
    score: num((i) => buf.score[i]),
  });
}
