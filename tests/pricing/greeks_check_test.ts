import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { bsGreeks, bsPrice, buildChainStore, greeksCheck } from "../../lib/mod.ts";

Deno.test("greeksCheck() finds no difference on rows priced with the same formulas, and sees a bumped delta", () => {
  const rows: Record<string, unknown>[] = [];
  const S = 100;
  for (const K of [80, 90, 95, 100, 105, 110, 120]) {
    for (const type of ["call", "put"] as const) {
      const T = 30 / 365;
      const iv = 0.2 + (K - 100) * -0.002;
      const g = bsGreeks(type, S, K, T, 0, iv);
      const mid = bsPrice(type, S, K, T, 0, iv);
      rows.push({ K, type: type === "put" ? "P" : "C", mid, iv, ...g });
    }
  }
  const frame = (bump: number) =>
    pl.DataFrame({
      ticker: rows.map(() => "SPY"),
      tradeDate: pl.Series(Int32Array.from(rows, () => 19000)).cast(pl.Date),
      expirDate: pl.Series(Int32Array.from(rows, () => 19030)).cast(pl.Date),
      strike: rows.map((r) => r.K as number),
      optionType: rows.map((r) => r.type as string),
      bid: rows.map((r) => (r.mid as number) * 0.99),
      ask: rows.map((r) => (r.mid as number) * 1.01),
      mid: rows.map((r) => r.mid as number),
      last: rows.map(() => NaN),
      volume: pl.Series(Int32Array.from(rows, () => 10)),
      openInterest: pl.Series(Int32Array.from(rows, () => 100)),
      stockPrice: rows.map(() => S),
      delta: rows.map((r, i) => (r.delta as number) + (i === 3 ? bump : 0)),
      gamma: rows.map((r) => r.gamma as number),
      theta: rows.map((r) => r.theta as number),
      vega: rows.map((r) => r.vega as number),
      rho: rows.map((r) => r.rho as number),
      impliedVolatility: rows.map((r) => r.iv as number),
      underlyingBid: rows.map(() => NaN),
      underlyingAsk: rows.map(() => NaN),
    });
  const exact = greeksCheck(buildChainStore({ chains: frame(0), bars: new Map(), vix: null }));
  assert.equal(exact.rows_compared, rows.length);
  assert.ok(exact.delta.max! < 1e-15 && exact.vega.max! < 1e-14 && exact.theta.max! < 1e-15);
  assert.ok(exact.iv_from_mid.max! < 1e-10, `iv ${exact.iv_from_mid.max}`);
  assert.equal(exact.mid_outside_bounds, 0);
  const bumped = greeksCheck(buildChainStore({ chains: frame(0.05), bars: new Map(), vix: null }));
  assert.ok(Math.abs(bumped.delta.max! - 0.05) < 1e-12);
});
