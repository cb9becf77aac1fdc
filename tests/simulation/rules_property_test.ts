/**
 * Properties of the risk rules' limits on random strategies and limits over a generated market:
 * every position's contracts are within `max_contracts` and `max_volume_share` of each leg's
 * volume on its entry day, and after each day's entries an underlying's open max loss is within
 * `max_risk_per_underlying_pct` of the equity after that day's exits (rebuilt from the trade
 * log: the day's closing equity less what the day's entries added to it).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildChainStore,
  type ChainStore,
  generateSample,
  loadConfig,
  loadMarketData,
  runBacktest,
  type StrategyConfig,
  type Trade,
  validateConfig,
} from "../../lib/mod.ts";

const dataDir = join(mkdtempSync(join(tmpdir(), "mahler-rules-")), "sample");
generateSample({ outDir: dataDir, start: "2021-01-04", end: "2021-04-30", seed: 17 });
const store = buildChainStore(loadMarketData(dataDir));
const base = loadConfig("config/test_config.toml");

const configArb = fc.record({
  strategy: fc.constantFrom<unknown>(
    "bull_put_spread",
    "bear_call_spread",
    ["bull_put_spread", "bear_call_spread"],
    "iron_condor",
  ),
  maxContracts: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
  volumeShare: fc.option(fc.constantFrom(0.01, 0.05, 0.2, 1), { nil: undefined }),
  underlyingRisk: fc.option(fc.constantFrom(0.005, 0.02, 0.05, 0.2), { nil: undefined }),
  risk: fc.constantFrom(0.02, 0.05),
  positions: fc.integer({ min: 2, max: 8 }),
  entries: fc.integer({ min: 1, max: 3 }),
}).map((r): StrategyConfig =>
  validateConfig({
    ...base,
    strategy: { underlying: ["SPY", "QQQ", "IWM"], strategy_type: r.strategy },
    entry: { ...base.entry, iv_percentile_min: 0, min_credit_pct: 0.05, spread_width_min: 1 },
    position_sizing: {
      ...base.position_sizing,
      max_risk_per_trade_pct: r.risk,
      max_portfolio_heat_pct: 0.5,
      max_positions: r.positions,
      max_correlated_exposure_pct: 1,
      max_contracts: r.maxContracts,
      max_volume_share: r.volumeShare,
      max_risk_per_underlying_pct: r.underlyingRisk,
    },
    simulation: { ...base.simulation, max_entries_per_day: r.entries },
  })
);

/** The volume of a trade's leg on its entry day. */
function legVolume(s: ChainStore, t: Trade, leg: Trade["legs"][number]): number {
  const c = s.columns;
  const { start, end } = s.snapshotRange(s.tickerIndex(t.underlying), s.dayIndex(t.entryDay));
  for (let i = start; i < end; i++) {
    if (
      c.expiry[i] === t.expiry && c.strike[i] === leg.strike && (c.type[i] === 0) === !leg.isPut
    ) {
      return c.volume[i];
    }
  }
  throw new Error(`no row of ${t.underlying} ${leg.strike} on ${t.entryDay}`);
}

Deno.test("risk limits: contracts within max_contracts and max_volume_share, underlying risk within its share", () => {
  let trades = 0;
  // How often each limit bound (so that the property is not vacuous).
  const bound = { contracts: 0, volume: 0, underlying: 0 };
  fc.assert(
    fc.property(configArb, (config) => {
      const { raw, params: all } = runBacktest(store, config);
      const params = { ...all, ...all.rules! };
      trades += raw.trades.length;
      for (const t of raw.trades) {
        if (params.maxContracts === params.maxContracts) {
          assert.ok(t.contracts <= params.maxContracts, "max_contracts");
          if (t.contracts === params.maxContracts) bound.contracts++;
        }
        if (params.maxVolumeShare === params.maxVolumeShare) {
          for (const leg of t.legs) {
            const cap = Math.floor(params.maxVolumeShare * legVolume(store, t, leg) + 1e-9);
            assert.ok(t.contracts <= cap, `max_volume_share: ${t.contracts} > ${cap}`);
            if (t.contracts === cap) bound.volume++;
          }
        }
      }
      if (params.maxRiskPerUnderlyingPct !== params.maxRiskPerUnderlyingPct) return;
      for (const e of raw.daily) {
        const entered = raw.trades.filter((t) => t.entryDay === e.day);
        if (!entered.length) continue;
        // What the day's entries added to the closing equity: credit less commission less
        // the value at the day's mark (the entry quotes' mids).
        const added = entered.reduce((a, t) => {
          const mark = t.legs.reduce(
            (m, l) => m - Math.sign(l.quantity) * (l.entryQuote.bid + l.entryQuote.ask) / 2,
            0,
          );
          const commission = t.legs.length * params.commission * t.contracts;
          return a + (t.entryCredit - mark) * 100 * t.contracts - commission;
        }, 0);
        const afterExits = e.equity - added;
        for (const u of new Set(entered.map((t) => t.underlying))) {
          const risk = raw.trades.filter((t) =>
            t.underlying === u && t.entryDay <= e.day && t.exitDay > e.day
          ).reduce((a, t) => a + t.maxLossUsd, 0);
          const limit = params.maxRiskPerUnderlyingPct * afterExits;
          if (risk > 0.8 * limit) bound.underlying++;
          assert.ok(
            risk <= limit + 1e-6,
            `${u} on ${e.day}: ${risk} > ${params.maxRiskPerUnderlyingPct} × ${afterExits}`,
          );
        }
      }
    }),
    { numRuns: 20 },
  );
  assert.ok(trades > 100, `random configs traded: ${trades}`);
  assert.ok(bound.contracts > 0 && bound.volume > 0 && bound.underlying > 0, JSON.stringify(bound));
});
