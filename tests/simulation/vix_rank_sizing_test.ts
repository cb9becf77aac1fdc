/**
 * VIX-rank sizing ("Sizing the Risk", arXiv 2508.16598): contracts = floor(base × (1 − rank)),
 * rank = the day's VIX close among the `vix_rank_lookback` previous closes (ties one half).
 * Hand-computed scenario to the cent, and the rank against an independent computation.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type pl from "nodejs-polars";
import { runBacktest, vixPercentileRank } from "../../lib/mod.ts";
import { B, config, E1, E2, type Quote, store, template } from "../helpers/put_spreads.ts";

const column = (frame: pl.DataFrame, name: string) => frame.getColumn(name).toArray();
const iso = (d: unknown) => (d as Date).toISOString().slice(0, 10);

Deno.test("vix_rank sizing: base 4 contracts scaled by 1 - rank, none without history", () => {
  // Trading days Tue 01-02 to Thu 01-11; look-back 4; 2% risk: base floor(2,000 / 441.80) = 4.
  const days = [B, B + 1, B + 2, B + 3, B + 6, B + 7, B + 8, B + 9];
  const vixCloses = [20, 22, 18, 25, 21, 25, 10, 12];
  const quotes: Quote[] = [
    // The first four days have a candidate but fewer than 4 previous VIX closes: no entry.
    ...days.slice(0, 4).flatMap((d) => template(d, E1)),
    // 01-08: VIX 21 against 20, 22, 18, 25: two below, rank 0.5: floor(4 × 0.5) = 2 contracts.
    //   cash 100,000 + 0.602·200 - 4 = 100,116.40.
    ...template(B + 6, E1),
    // 01-09: profit target (mark 0.55 - 0.25 = 0.30): debit 0.332, P&L 0.27·200 - 8 = 46.00,
    //   cash 100,046.00. VIX 25 against 22, 18, 25, 21: three below, one tie: rank 0.875,
    //   floor(4 × 0.125) = 0: E2's candidate is not entered.
    [B + 7, E1, 95, 0.20, 0.30, -0.08],
    [B + 7, E1, 100, 0.50, 0.60, -0.15],
    ...template(B + 7, E2),
    // 01-10: VIX 10, below every previous close: rank 0, full size: floor(2,000.92 / 441.80) =
    //   4 contracts.
    ...template(B + 8, E2),
    // 01-11, the last day: end_of_period at 0.698: P&L -0.096·400 - 16 = -54.40.
    ...template(B + 9, E2),
  ];
  const vix = days.map((d, i) => [d, vixCloses[i]] as [number, number]);
  const c = config({}, {
    max_risk_per_trade_pct: 0.02,
    sizing: "vix_rank",
    vix_rank_lookback: 4,
  });
  const result = runBacktest(store(quotes, vix), c);
  const t = result.trades;
  assert.deepEqual(column(t, "entry_date").map(iso), ["2024-01-08", "2024-01-10"]);
  assert.deepEqual(column(t, "contracts"), [2, 4]);
  assert.deepEqual(column(t, "exit_reason"), ["profit_target", "end_of_period"]);
  assert.deepEqual(column(t, "pnl"), [46, -54.4]);
  assert.equal(result.metrics.final_equity.toFixed(2), "99991.60");
  // The same market with fixed-risk sizing enters on the first day, 4 contracts.
  const fixed = runBacktest(store(quotes, vix), config({}, { max_risk_per_trade_pct: 0.02 }));
  assert.equal(column(fixed.trades, "entry_date").map(iso)[0], "2024-01-02");
  assert.equal(column(fixed.trades, "contracts")[0], 4);
});

Deno.test("vix_rank sizing: a day without a VIX close takes no entry", () => {
  const days = [B, B + 1, B + 2];
  const quotes = days.flatMap((d) => template(d, E1));
  const c = config({}, { sizing: "vix_rank", vix_rank_lookback: 1 });
  // VIX on the first two days only: 01-03 ranks 1 (above 20: zero contracts), 01-04 has none.
  const result = runBacktest(store(quotes, [[B, 20], [B + 1, 21]]), c);
  assert.equal(result.trades.height, 0);
});

Deno.test("vixPercentileRank() equals the mean rank in the sorted previous closes", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 9, max: 40 }), { minLength: 1, maxLength: 60 }),
      fc.integer({ min: 1, max: 12 }),
      (closes, lookback) => {
        const ranks = vixPercentileRank(Float64Array.from(closes), lookback);
        closes.forEach((v, d) => {
          if (d < lookback) return assert.ok(Number.isNaN(ranks[d]));
          const sorted = closes.slice(d - lookback, d).sort((a, b) => a - b);
          const first = sorted.findIndex((x) => x >= v); // closes below v
          const below = first < 0 ? lookback : first;
          const after = sorted.findIndex((x) => x > v);
          const atOrBelow = after < 0 ? lookback : after;
          const expected = (below + atOrBelow) / 2 / lookback; // the mean of strict and weak
          assert.equal(ranks[d], expected);
          assert.ok(ranks[d] >= 0 && ranks[d] <= 1);
        });
      },
    ),
  );
});
