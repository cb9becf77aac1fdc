import assert from "node:assert/strict";
import fc from "fast-check";
import pl from "nodejs-polars";
import {
  buildChainStore,
  ChainStore,
  dataQuality,
  FLAG_BAD_GREEKS,
  FLAG_CROSSED,
  FLAG_DUPLICATE,
  FLAG_ZERO_BID,
} from "../../lib/mod.ts";

interface Row {
  ticker: string;
  day: number;
  expiry: number;
  strike: number;
  put: boolean;
  bid: number;
  ask: number;
  delta: number;
}

const rowArb = fc.record({
  ticker: fc.constantFrom("SPY", "QQQ", "IWM"),
  day: fc.integer({ min: 19000, max: 19012 }),
  dte: fc.integer({ min: 0, max: 40 }),
  strike: fc.integer({ min: 90, max: 110 }),
  put: fc.boolean(),
  bid: fc.constantFrom(0, 0.5, 1, 2),
  ask: fc.constantFrom(0.4, 1.1, 2.5),
  delta: fc.constantFrom(0.3, -0.3, NaN, 1.5),
}).map((r): Row => ({ ...r, expiry: r.day + r.dte }));

function frameOf(rows: Row[]): pl.DataFrame {
  return pl.DataFrame({
    ticker: rows.map((r) => r.ticker),
    tradeDate: rows.map((r) => r.day),
    expirDate: rows.map((r) => r.expiry),
    strike: rows.map((r) => r.strike),
    optionType: rows.map((r) => (r.put ? "P" : "C")),
    bid: rows.map((r) => r.bid),
    ask: rows.map((r) => r.ask),
    mid: rows.map((r) => (r.bid + r.ask) / 2),
    last: rows.map(() => NaN),
    volume: rows.map(() => 1),
    openInterest: rows.map(() => 10),
    stockPrice: rows.map(() => 100),
    delta: rows.map((r) => r.delta),
    gamma: rows.map(() => 0.01),
    theta: rows.map(() => -0.01),
    vega: rows.map(() => 0.1),
    rho: rows.map(() => 0.01),
    impliedVolatility: rows.map(() => 0.2),
    underlyingBid: rows.map(() => NaN),
    underlyingAsk: rows.map(() => NaN),
  }).withColumns(
    pl.col("tradeDate").cast(pl.Int32).cast(pl.Date),
    pl.col("expirDate").cast(pl.Int32).cast(pl.Date),
    pl.col("volume").cast(pl.Int32),
    pl.col("openInterest").cast(pl.Int32),
  );
}

Deno.test("ChainStore lookups agree with a brute-force scan of the rows", () => {
  fc.assert(
    fc.property(fc.array(rowArb, { minLength: 1, maxLength: 120 }), (rows) => {
      const store = buildChainStore({ chains: frameOf(rows), bars: new Map(), vix: null });
      assert.equal(store.rowCount, rows.length);
      const c = store.columns;
      for (const ticker of ["SPY", "QQQ", "IWM"]) {
        for (let day = 19000; day <= 19012; day++) {
          const want = rows.filter((r) => r.ticker === ticker && r.day === day).length;
          const snap = store.getSnapshot(day, ticker);
          assert.equal(snap.end - snap.start, want, `${ticker} ${day}`);
          for (let i = snap.start; i < snap.end; i++) {
            assert.equal(store.tickers[c.underlying[i]], ticker);
            assert.equal(c.day[i], day);
          }
          for (const expiry of new Set(rows.map((r) => r.expiry))) {
            for (const type of ["call", "put"] as const) {
              const want = rows.filter((r) =>
                r.ticker === ticker && r.day === day && r.expiry === expiry &&
                r.put === (type === "put")
              ).map((r) => r.strike).sort((a, b) => a - b);
              const chain = store.getChain(day, ticker, expiry, type);
              const got = Array.from(c.strike.subarray(chain.start, chain.end));
              assert.deepEqual(got, want);
            }
          }
        }
      }
    }),
    { numRuns: 60 },
  );
});

Deno.test("ChainStore flags crossed, zero-bid, bad-greek and duplicate rows", () => {
  fc.assert(
    fc.property(fc.array(rowArb, { minLength: 1, maxLength: 80 }), (rows) => {
      const store = buildChainStore({ chains: frameOf(rows), bars: new Map(), vix: null });
      const c = store.columns;
      const seen = new Set<string>();
      let duplicates = 0;
      for (let i = 0; i < store.rowCount; i++) {
        const f = c.flags[i];
        assert.equal(Boolean(f & FLAG_CROSSED), c.bid[i] > c.ask[i]);
        assert.equal(Boolean(f & FLAG_ZERO_BID), !(c.bid[i] > 0));
        assert.equal(Boolean(f & FLAG_BAD_GREEKS), !(Math.abs(c.delta[i]) <= 1));
        const key = `${c.underlying[i]}/${c.day[i]}/${c.expiry[i]}/${c.type[i]}/${c.strike[i]}`;
        assert.equal(Boolean(f & FLAG_DUPLICATE), seen.has(key));
        if (seen.has(key)) duplicates++;
        seen.add(key);
      }
      assert.equal(dataQuality(store).duplicates, duplicates);
    }),
    { numRuns: 60 },
  );
});

Deno.test("ChainStore data survives structured cloning, as when posted to a Worker", () => {
  const rows: Row[] = [
    {
      ticker: "SPY",
      day: 19000,
      expiry: 19030,
      strike: 100,
      put: true,
      bid: 1,
      ask: 1.1,
      delta: -0.3,
    },
    {
      ticker: "SPY",
      day: 19001,
      expiry: 19030,
      strike: 100,
      put: true,
      bid: 1,
      ask: 1.1,
      delta: -0.3,
    },
  ];
  const store = buildChainStore({ chains: frameOf(rows), bars: new Map(), vix: null }).share();
  assert.ok(store.isShared);
  const clone = new ChainStore(structuredClone(store.data));
  assert.ok(clone.columns.bid.buffer instanceof SharedArrayBuffer);
  assert.deepEqual(clone.getSnapshot(19001, "SPY"), { start: 1, end: 2 });
  store.columns.bid[1] = 7; // shared memory: the clone sees the write
  assert.equal(clone.columns.bid[1], 7);
});

Deno.test("dataQuality() counts missing days and strikes that vanish before expiry", () => {
  // SPY trades on days 19000, 19001, 19003 (19002 missing while QQQ trades); a strike listed
  // on 19000 is absent on 19001 although it expires later.
  const base = { bid: 1, ask: 1.1, delta: -0.3, put: true, expiry: 19030 };
  const rows: Row[] = [
    { ...base, ticker: "SPY", day: 19000, strike: 100 },
    { ...base, ticker: "SPY", day: 19000, strike: 101 },
    { ...base, ticker: "SPY", day: 19001, strike: 100 },
    { ...base, ticker: "SPY", day: 19003, strike: 100 },
    { ...base, ticker: "QQQ", day: 19002, strike: 100 },
  ];
  // Day 19000 is 2022-01-08 (a Saturday in this synthetic calendar); 19002 is Monday 2022-01-10.
  const report = dataQuality(
    buildChainStore({ chains: frameOf(rows), bars: new Map(), vix: null }),
  );
  assert.equal(report.per_underlying.SPY.missing_days, 1);
  assert.deepEqual(report.missing_dates.SPY, ["2022-01-10"]);
  assert.equal(report.per_underlying.SPY.vanished_strikes, 1);
  assert.equal(report.per_underlying.QQQ.rows, 1);
});
