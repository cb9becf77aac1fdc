/**
 * The scanner's iron condors and both-sides candidates on a generated market, each checked
 * from its legs' quotes against the rules: sides' filters, four-leg fills, the credit against
 * the wider width, the Reg-T max loss, the expected value and the score's terms, the ranking.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildChainStore,
  condorExpectedValue,
  generateSample,
  loadConfig,
  loadMarketData,
  paramsFromConfig,
  probItm,
  scan,
  scanCandidates,
  type SpreadLeg,
  validateConfig,
} from "../../lib/mod.ts";

const dir = mkdtempSync(join(tmpdir(), "mahler-scan-strategies-"));
generateSample({ outDir: join(dir, "s"), start: "2020-02-03", end: "2020-03-31", seed: 2 });
const store = buildChainStore(loadMarketData(join(dir, "s")));
const base = loadConfig("config/test_config.toml");
const DAY = "2020-03-02";

const sell = (l: SpreadLeg, s: number) => l.ask - (l.ask - l.bid) * s;
const buy = (l: SpreadLeg, s: number) => l.bid + (l.ask - l.bid) * s;
const close = (a: number, b: number, tol = 1e-12) => Math.abs(a - b) <= tol;

Deno.test("iron condors: four legs on one expiry, priced as one 4-leg order, scored by the zone EV", () => {
  const config = validateConfig({
    ...base,
    strategy: { ...base.strategy, strategy_type: "iron_condor" },
    entry: { ...base.entry, call: { short_delta_min: 0.08, short_delta_max: 0.2 } },
  });
  const p = paramsFromConfig(config);
  const cs = scanCandidates(store, DAY, config);
  assert.ok(cs.length > 10, `${cs.length} condors`);
  for (const c of cs) {
    assert.equal(c.spreadType, "iron_condor");
    const [sp, lp, sc, lc] = [c.shortLeg, c.longLeg, c.callShortLeg!, c.callLongLeg!];
    assert.deepEqual([sp.type, lp.type, sc.type, lc.type], ["put", "put", "call", "call"]);
    assert.ok(lp.strike < sp.strike && sp.strike <= sc.strike && sc.strike < lc.strike);
    // Each side's own filters: the put side's band from [entry], the call side's from [entry.call].
    assert.ok(Math.abs(sp.delta) >= p.put.deltaMin && Math.abs(sp.delta) <= p.put.deltaMax);
    assert.ok(Math.abs(sc.delta) >= 0.08 && Math.abs(sc.delta) <= 0.2);
    const putWidth = sp.strike - lp.strike, callWidth = lc.strike - sc.strike;
    for (const w of [putWidth, callWidth]) assert.ok(w >= p.put.widthMin && w <= p.put.widthMax);
    const wider = Math.max(putWidth, callWidth);
    assert.equal(c.width, wider);
    // One 4-leg order at 53%: the credit is the four fills', tested against the wider width.
    const credit = (sell(sp, 0.53) - buy(lp, 0.53)) + (sell(sc, 0.53) - buy(lc, 0.53));
    assert.ok(close(c.credit, credit), `${c.credit} vs ${credit}`);
    assert.ok(c.credit >= p.put.minCreditPct * wider - 1e-9 && c.credit < wider);
    assert.ok(close(c.maxLoss, wider - c.credit));
    // EV: the zone integral's closed form, under each side's short-strike IV.
    const years = c.dte / 365;
    const ev = condorExpectedValue(
      c.credit,
      c.underlyingPrice,
      years,
      0,
      { shortStrike: sp.strike, longStrike: lp.strike, vol: sp.iv },
      { shortStrike: sc.strike, longStrike: lc.strike, vol: sc.iv },
    );
    assert.ok(close(c.expectedValue, ev), `${c.expectedValue} vs ${ev}`);
    const pItm = probItm("put", c.underlyingPrice, sp.strike, years, 0, sp.iv) +
      probItm("call", c.underlyingPrice, sc.strike, years, 0, sc.iv);
    assert.ok(close(c.pItm, pItm));
    // Score terms: EV / max loss, the mean of the two delta distances, credit / wider width.
    const s = c.score;
    assert.ok(close(s.expected_value, 0.4 * ev / c.maxLoss, 1e-9));
    const distance = (0.25 - Math.abs(sp.delta)) / 0.15 + (0.2 - Math.abs(sc.delta)) / 0.12;
    assert.ok(close(s.delta_distance, 0.2 * 0.5 * distance, 1e-9));
    assert.ok(close(s.credit_width, 0.2 * c.credit / wider, 1e-12));
    // Net greeks: the four legs as held.
    const net = lp.theta - sp.theta + lc.theta - sc.theta;
    assert.ok(close(c.greeks.theta, net, 1e-12) && c.greeks.theta > 0 && c.greeks.vega < 0);
    const filters = c.rationale.filters.map((f) => f.filter);
    assert.ok(filters.includes("short_delta (call)") && filters.includes("min_volume (long put)"));
  }
  for (let i = 1; i < cs.length; i++) assert.ok(cs[i].score.total <= cs[i - 1].score.total);
  const frame = scan(store, DAY, config);
  assert.equal(frame.height, cs.length);
  assert.deepEqual(
    frame.getColumn("call_short_strike").toArray(),
    cs.map((c) => c.callShortLeg!.strike),
  );
});

Deno.test("both sides: bull puts and bear calls ranked together, each with its side's filters", () => {
  const config = validateConfig({
    ...base,
    strategy: { ...base.strategy, strategy_type: ["bull_put_spread", "bear_call_spread"] },
    entry: { ...base.entry, call: { spread_width_min: 2, spread_width_max: 3 } },
  });
  const cs = scanCandidates(store, DAY, config);
  const puts = cs.filter((c) => c.spreadType === "bull_put");
  const calls = cs.filter((c) => c.spreadType === "bear_call");
  assert.ok(puts.length > 0 && calls.length > 0 && puts.length + calls.length === cs.length);
  for (const c of calls) {
    assert.ok(c.shortLeg.type === "call" && c.longLeg.strike > c.shortLeg.strike);
    assert.ok(c.width >= 2 && c.width <= 3, `${c.width}`);
    assert.ok(close(c.credit, sell(c.shortLeg, 0.66) - buy(c.longLeg, 0.66)));
  }
  assert.ok(puts.some((c) => c.width > 3), "the put side keeps [entry]'s widths");
  for (let i = 1; i < cs.length; i++) assert.ok(cs[i].score.total <= cs[i - 1].score.total);
  // The same day with one vertical alone: its candidates are those of its side here.
  const alone = scanCandidates(store, DAY, validateConfig({ ...base }));
  assert.deepEqual(
    alone.map((c) => `${c.expiration} ${c.shortLeg.strike} ${c.longLeg.strike}`),
    puts.map((c) => `${c.expiration} ${c.shortLeg.strike} ${c.longLeg.strike}`),
  );
});
