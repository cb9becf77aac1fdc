import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  blockingFilter,
  buildChainStore,
  funnelOf,
  generateSample,
  ivPercentileTable,
  loadConfig,
  loadMarketData,
  paramsFromConfig,
  scan,
  scanCandidates,
  simulate,
  validateConfig,
} from "../../lib/mod.ts";

const dir = mkdtempSync(join(tmpdir(), "mahler-scan-"));
generateSample({ outDir: join(dir, "s"), start: "2020-02-03", end: "2020-03-31", seed: 2 });
const store = buildChainStore(loadMarketData(join(dir, "s")));
const open = loadConfig("config/test_config.toml");

Deno.test("scan() returns typed frames, empty ones included, best score first", () => {
  const some = scan(store, "2020-03-02", open);
  assert.ok(some.height > 0);
  assert.equal(String(some.getColumn("expiration").dtype), "DataType(Date)");
  const scores = some.getColumn("score").toArray() as number[];
  for (let i = 1; i < scores.length; i++) assert.ok(scores[i] <= scores[i - 1]);
  // With a year of IV history required, nothing qualifies in a two-month data set.
  const none = scan(
    store,
    "2020-03-02",
    validateConfig({ ...open, entry: { ...open.entry, iv_percentile_min: 50 } }),
  );
  assert.equal(none.height, 0);
  assert.equal(String(none.getColumn("expiration").dtype), "DataType(Date)");
  assert.deepEqual(none.columns, some.columns);
  for (
    const c of ["net_delta", "net_gamma", "net_theta", "net_vega", "net_rho", "entry_rationale"]
  ) {
    assert.ok(some.columns.includes(c), c);
  }
});

Deno.test("a candidate's rationale holds each filter's value against its threshold, and the score's terms", () => {
  const p = paramsFromConfig(open);
  for (const c of scanCandidates(store, "2020-03-02", open)) {
    const f = Object.fromEntries(c.rationale.filters.map((x) => [x.filter, x]));
    assert.equal(f.dte.value, c.dte);
    assert.ok(f.dte.value! >= p.dteMin && f.dte.value! <= p.dteMax);
    assert.equal(f.short_delta.value, Math.abs(c.shortLeg.delta));
    assert.ok(f.short_delta.value! >= p.put.deltaMin && f.short_delta.value! <= p.put.deltaMax);
    assert.equal(f.spread_width.value, c.width);
    assert.equal(f.min_credit_pct.value, c.credit);
    assert.ok(c.credit >= p.put.minCreditPct * c.width - 1e-9 && c.credit < c.width);
    assert.ok(f["max_bid_ask_pct (long)"].value! <= p.put.maxBidAskPct + 1e-9);
    assert.ok(f["min_open_interest (short)"].value! >= p.put.minOpenInterest);
    const s = c.score;
    assert.equal(s.expected_value + s.iv_percentile + s.delta_distance + s.credit_width, s.total);
    assert.ok(Math.abs(s.credit_width - 0.2 * c.credit / c.width) < 1e-12);
    assert.ok(Math.abs(s.expected_value - 0.4 * c.expectedValue / c.maxLoss) < 1e-12);
    // Position greeks: long leg minus short leg (a bull put spread: long delta, short vega).
    assert.equal(c.greeks.delta, c.longLeg.delta - c.shortLeg.delta);
    assert.equal(c.greeks.rho, c.longLeg.rho - c.shortLeg.rho);
    assert.ok(c.greeks.delta > 0 && c.greeks.vega < 0);
  }
});

Deno.test("the entry funnel names the filter that stopped every candidate", () => {
  const strict = validateConfig({ ...open, entry: { ...open.entry, min_credit_pct: 0.9 } });
  const p = paramsFromConfig(strict);
  const run = simulate(store, p, { ivPct: ivPercentileTable(store, p.ivHistoryDays) });
  assert.equal(run.trades.length, 0);
  assert.ok(run.funnel.width > 0 && run.funnel.min_credit === 0);
  assert.match(
    blockingFilter(run.funnel, p)!,
    /^min_credit_pct: no spread's credit reached 90% of its width/,
  );
  const traded = simulate(store, paramsFromConfig(open), { ivPct: ivPercentileTable(store, 60) });
  assert.equal(traded.funnel.entries, traded.trades.length);
  assert.equal(blockingFilter(traded.funnel, paramsFromConfig(open)), null);
  // Each stage's count never exceeds its parent's within one unit.
  const f = traded.funnel;
  assert.ok(f.iv_percentile <= f.scans && f.short_liquidity <= f.short_delta);
  assert.ok(f.long_liquidity <= f.min_credit && f.min_credit <= f.width);
  assert.ok(f.entries <= f.long_liquidity);
  assert.match(blockingFilter(funnelOf([5, 0]), p)!, /^iv_percentile_min/);
});
