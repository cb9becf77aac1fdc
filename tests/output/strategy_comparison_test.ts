/**
 * The strategies compared side by side: the frames agree with each run's own trades, equity and
 * metrics, and the findings' verdicts follow from their intervals.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pl from "nodejs-polars";
import {
  buildChainStore,
  compareStrategies,
  generateSample,
  loadConfig,
  loadMarketData,
  pairedSharpeDifference,
  strategyEquityFrame,
  strategyExitFrame,
  strategyFindingsFrame,
  strategyRegimeFrame,
  worstTradesFrame,
} from "../../lib/mod.ts";

const dir = mkdtempSync(join(tmpdir(), "mahler-compare-"));
generateSample({ outDir: join(dir, "s"), start: "2023-01-03", end: "2023-12-29", seed: 5 });
const store = buildChainStore(loadMarketData(join(dir, "s")));
const runs = compareStrategies(store, loadConfig("config/test_config.toml"));
const names = ["put spread", "call spread", "both sides", "iron condor"];

Deno.test("compareStrategies runs each strategy type of one configuration", () => {
  assert.deepEqual(runs.map((r) => r.name), names);
  const types = runs.map((r) => new Set(r.result.trades.getColumn("spread_type").toArray()));
  assert.deepEqual([...types[0]], ["bull_put"]);
  assert.deepEqual([...types[1]], ["bear_call"]);
  // Both sides: the two verticals ranked together (which side wins a day is the score's call).
  assert.ok([...types[2]].every((t) => t === "bull_put" || t === "bear_call"));
  assert.deepEqual([...types[3]], ["iron_condor"]);
  for (const r of runs) {
    assert.equal(r.config.entry.short_delta_max, runs[0].config.entry.short_delta_max);
    assert.ok(r.result.trades.height > 5, `${r.name} traded`);
  }
});

Deno.test("the equity frame is each run's daily equity over the span, drawdowns from the peak", () => {
  const equity = strategyEquityFrame(runs);
  for (const r of runs) {
    const rows = equity.filter(pl.col("strategy").eq(pl.lit(r.name))).toRecords();
    const own = r.result.equity.getColumn("equity").toArray() as number[];
    assert.deepEqual(rows.map((x) => x.equity), own.slice(own.length - rows.length));
    let peak = r.result.params.startingEquity;
    for (const x of rows) {
      peak = Math.max(peak, x.equity as number);
      assert.ok(Math.abs((x.drawdown as number) - ((x.equity as number) / peak - 1)) < 1e-15);
    }
    const deepest = Math.min(...rows.map((x) => x.drawdown as number));
    assert.ok(Math.abs(deepest - r.result.metrics.max_drawdown) < 1e-6, r.name);
  }
});

Deno.test("findings: the best has the highest Sharpe; gaps are paired differences; verdicts follow", () => {
  const rows = strategyFindingsFrame(runs, { resamples: 300 }).toRecords();
  const best = rows.find((r) => r.verdict === "best")!;
  assert.equal(rows.filter((r) => r.verdict === "best").length, 1);
  for (const r of rows) {
    assert.ok((r.sharpe as number) <= (best.sharpe as number));
    assert.ok((r.sharpe_lower as number) <= (r.sharpe_upper as number));
    if (r === best) continue;
    assert.ok(
      Math.abs((r.gap_to_best as number) - ((best.sharpe as number) - (r.sharpe as number))) < 1e-9,
    );
    const beyond = (r.gap_lower as number) > 0;
    assert.equal(r.verdict, beyond ? "behind, beyond noise" : "not distinguishable");
  }
  // The same gap interval from the series themselves.
  const equity = strategyEquityFrame(runs);
  const returns = (name: string) => {
    const e = equity.filter(pl.col("strategy").eq(pl.lit(name))).getColumn("equity")
      .toArray() as number[];
    return e.map((x, i) => x / (i ? e[i - 1] : runs[0].result.params.startingEquity) - 1);
  };
  const other = rows.find((r) => r !== best)!;
  const gap = pairedSharpeDifference(
    returns(best.strategy as string),
    returns(other.strategy as string),
    {
      resamples: 300,
    },
  );
  assert.equal(other.gap_lower, gap.lower);
  assert.equal(
    other.trades,
    runs.find((r) => r.name === other.strategy)!.result.metrics.trade_count,
  );
});

Deno.test("regimes, exits and the worst trades add up to each run's trades", () => {
  const regimes = strategyRegimeFrame(runs).toRecords();
  const exits = strategyExitFrame(runs).toRecords();
  const worst = worstTradesFrame(runs, 5).toRecords();
  for (const r of runs) {
    const trades = r.result.trades;
    const mine = regimes.filter((x) => x.strategy === r.name);
    assert.equal(mine.reduce((a, x) => a + (x.trades as number), 0), trades.height);
    const pnl = mine.reduce((a, x) => a + (x.total_pnl as number), 0);
    assert.ok(Math.abs(pnl - r.result.metrics.total_pnl) < 0.01 * mine.length, r.name);
    const e = exits.find((x) => x.strategy === r.name)!;
    const reasons = ["profit_target", "stop_loss", "time_exit", "expiration", "end_of_period"];
    assert.equal(
      reasons.reduce((a, k) => a + ((e[k] as number | undefined) ?? 0), 0),
      trades.height,
    );
    assert.equal(e.missing_quote_days, r.result.raw.missingQuotes);
    const types = (e.spread_types as string).split(", ").map((x) => Number(x.split(" ")[1]));
    assert.equal(types.reduce((a, n) => a + n, 0), trades.height);
    const w = worst.filter((x) => x.strategy === r.name).map((x) => x.pnl as number);
    const sorted = (trades.getColumn("pnl").toArray() as number[]).sort((a, b) => a - b);
    assert.deepEqual(w, sorted.slice(0, 5));
  }
  const condor = worst.find((x) => x.spread_type === "iron_condor")!;
  assert.match(condor.strikes as string, /^\d+(\.\d+)?\/\d+(\.\d+)?p \d+(\.\d+)?\/\d+(\.\d+)?c$/);
});
