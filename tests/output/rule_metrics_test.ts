/**
 * The metrics beyond the spec's list and the targets, against hand-computed values; the risk
 * rules' keys in the configuration (defaults off, grids may vary them, [targets] overrides).
 */
import assert from "node:assert/strict";
import {
  applyCombination,
  computeMetrics,
  DEFAULT_TARGETS,
  isoToDay,
  loadConfig,
  numericKeySection,
  paramsFromConfig,
  targetChecks,
  targetLines,
  targetsOf,
  validateConfig,
  walkForwardSettings,
} from "../../lib/mod.ts";

/** A run of five days and three trades, computed by hand below. */
function run() {
  const dates = ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08"];
  const equity = [100000, 101000, 99990, 100500, 102000];
  const open = [1, 1, 0, 2, 0];
  const daily = dates.map((d, i) => ({
    day: isoToDay(d),
    equity: equity[i],
    openPositions: open[i],
    vix: 14,
  }));
  const trade = (pnlUsd: number, commissionsUsd: number, days: number, exitReason: string) => ({
    pnlUsd,
    commissionsUsd,
    entryDay: isoToDay("2024-01-02"),
    exitDay: isoToDay("2024-01-02") + days,
    exitReason,
    underlying: "SPY",
    entry: { vix: 14 },
  });
  const trades = [
    trade(1500, 10, 2, "profit_target"),
    trade(-1010, 10, 3, "stop_loss"),
    trade(1510, 10, 6, "profit_target"),
  ];
  return { trades, daily } as never;
}

Deno.test("metrics: Calmar, largest win and loss, days to target and stop, commissions, time in market", () => {
  const m = computeMetrics(run(), { startingEquity: 100000 });
  // CAGR (102,000 / 100,000)^(252 / 5) - 1; maximum drawdown 99,990 / 101,000 - 1.
  const cagr = 1.02 ** (252 / 5) - 1;
  const dd = 99990 / 101000 - 1;
  assert.ok(Math.abs(m.cagr! - cagr) < 1e-9);
  assert.ok(Math.abs(m.calmar! - cagr / -dd) < 1e-9);
  assert.equal(m.largest_win, 1510);
  assert.equal(m.largest_loss, -1010);
  assert.equal(m.average_days_to_profit_target, 4); // (2 + 6) / 2
  assert.equal(m.average_days_to_stop, 3);
  // Gross P&L 2,000 + 30 of commissions = 2,030.
  assert.equal(m.commission_share, 30 / 2030);
  assert.equal(m.time_in_market, 3 / 5);
  // Targets: win rate 2/3 < 70%; profit factor 3,010 / 1,010 = 2.98 >= 1.5; average days held
  //   11 / 3 outside 15-30; drawdown 1% within 15%.
  const t = m.targets;
  assert.deepEqual(
    [t.win_rate.met, t.profit_factor.met, t.max_drawdown.met, t.average_days_held.met],
    [false, true, true, false],
  );
  assert.equal(t.profit_factor.value, 3010 / 1010);
  assert.equal(t.cagr.value, m.cagr);
  assert.equal(t.sharpe.value, m.sharpe);
  assert.deepEqual(t.average_days_held.target, [15, 30]);
});

Deno.test("metrics: without trades or a drawdown the new figures are null", () => {
  const daily = [{ day: isoToDay("2024-01-02"), equity: 100000, openPositions: 0, vix: 14 }];
  const m = computeMetrics({ trades: [], daily } as never, { startingEquity: 100000 });
  assert.deepEqual(
    [m.calmar, m.largest_win, m.largest_loss, m.average_days_to_stop, m.commission_share],
    [null, null, null, null, null],
  );
  assert.equal(m.time_in_market, 0);
  assert.equal(Object.values(m.targets).filter((c) => c.met).length, 1); // the drawdown, 0
});

Deno.test("targets: the spec's table by default, [targets] overrides, inclusive bounds", () => {
  assert.deepEqual(targetsOf(undefined), DEFAULT_TARGETS);
  assert.deepEqual(DEFAULT_TARGETS, {
    win_rate_min: 0.7,
    profit_factor_min: 1.5,
    sharpe_min: 1,
    sortino_min: 1.5,
    max_drawdown_max: 0.15,
    cagr_min: 0.15,
    average_days_held_min: 15,
    average_days_held_max: 30,
  });
  const base = loadConfig("config/default.toml");
  const config = validateConfig({ ...base, targets: { sharpe_min: 2, average_days_held_max: 45 } });
  const t = targetsOf(config.targets);
  assert.equal(t.sharpe_min, 2);
  assert.equal(t.average_days_held_max, 45);
  assert.equal(t.win_rate_min, 0.7);
  assert.throws(
    () => validateConfig({ ...base, targets: { sharp_min: 2 } }, "x.toml"),
    /x\.toml: targets\.sharp_min: unknown key, did you mean sharpe_min\?/,
  );
  const checks = targetChecks({
    win_rate: 0.7,
    profit_factor: 1.5,
    sharpe: 1,
    sortino: 1.5,
    max_drawdown: -0.15,
    cagr: 0.15,
    average_days_held: 15,
  }, DEFAULT_TARGETS);
  assert.ok(Object.values(checks).every((c) => c.met), "every bound is inclusive");
  const lines = targetLines(checks);
  assert.equal(lines[0], "Targets: 7 of 7 met");
  assert.equal(lines.length, 8);
  assert.match(lines[7], /^ {2}average days held +15\.00 +15-30 +met$/);
});

Deno.test("risk rules' keys: off by default, numeric ones sweepable by a walk-forward grid", () => {
  const base = loadConfig("config/default.toml");
  // Off: the parameters carry no rules at all (a run's outputs are as without them).
  assert.equal("rules" in paramsFromConfig(base), false);
  const p = paramsFromConfig(validateConfig({ ...base, exit: { ...base.exit, max_days_held: 9 } }))
    .rules!;
  assert.equal(p.dteExitFirst, false);
  assert.equal(p.requireContango, false);
  assert.equal(p.ivRankMin, 0);
  assert.equal(p.maxDaysHeld, 9);
  for (
    const x of [
      p.trailingActivationPct,
      p.trailingGivebackPct,
      p.maxNetDeltaPct,
      p.minNetTheta,
      p.maxRiskPerUnderlyingPct,
      p.maxContracts,
      p.maxVolumeShare,
      p.ivHvRatioMin,
      p.vixMin,
      p.vixMax,
    ]
  ) {
    assert.ok(Number.isNaN(x));
  }
  assert.equal(numericKeySection("max_days_held"), "exit");
  assert.equal(numericKeySection("iv_rank_min"), "entry");
  assert.equal(numericKeySection("max_net_delta_pct"), "position_sizing");
  assert.equal(numericKeySection("require_contango"), null); // a boolean
  const config = validateConfig({
    ...base,
    walk_forward: {
      ...base.walk_forward,
      grid: { max_days_held: [10, 20], iv_rank_min: [0, 50], max_contracts: [5] },
    },
  });
  const settings = walkForwardSettings(config);
  const last = applyCombination(config, settings, 3);
  assert.equal(last.exit.max_days_held, 20);
  assert.equal(last.entry.iv_rank_min, 50);
  assert.equal(last.position_sizing.max_contracts, 5);
  assert.equal(paramsFromConfig(last).rules!.maxDaysHeld, 20);
});
