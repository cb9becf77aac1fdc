/**
 * Walk-forward efficiency as a ratio of means (the strategy author's definition and Pardo's): the
 * mean test Sharpe over the mean training Sharpe of the periods with a selection, 0 when the mean
 * training Sharpe is ≤ 0, a test window without a trade counting as 0. One period with a training
 * Sharpe near zero cannot carry the guard, as it could when the guard read the mean of the
 * per-period ratios.
 */
import assert from "node:assert/strict";
import {
  checkGuards,
  DEFAULT_GUARDS,
  NEAR_ZERO_TRAIN_SHARPE,
  ratioOfMeans,
  walkForwardEfficiency,
  WFE_RULE,
  wfeJson,
} from "../../lib/mod.ts";

/** A period as the efficiency reads it: its chosen training Sharpe and its test Sharpe. */
const period = (index: number, train: number | null, test: number | null) => ({
  period: { index },
  chosen: train === null ? null : { train_sharpe: train },
  test_sharpe: test,
  test_trades: test === null ? 0 : 12,
});

/** A walk-forward result with these periods, 25 out-of-sample trades and a flat stitched run. */
function result(periods: ReturnType<typeof period>[]) {
  return {
    periods,
    oosTrades: Array.from({ length: 25 }, (_, i) => ({ pnlUsd: i % 3 ? 50 : -80 })),
    oosDaily: [{ day: 19000, equity: 100000 }, { day: 19001, equity: 100500 }],
    oosFrom: "2022-01-08",
    aggregate: { mean_oos_sharpe: 0.2 },
  } as never;
}

const near = (a: number | null, b: number) =>
  assert.ok(a !== null && Math.abs(a - b) < 1e-14, `${a} != ${b}`);

Deno.test("the author's WFE on four periods, computed by hand: a ratio of means, not a mean of ratios", () => {
  // train 1.2, 0.8, 0.5, 1.5 (mean 4.0 / 4 = 1.0); test 0.6, 0.2, -0.1, 0.9 (mean 1.6 / 4 = 0.4).
  const wf = result([
    period(0, 1.2, 0.6),
    period(1, 0.8, 0.2),
    period(2, 0.5, -0.1),
    period(3, 1.5, 0.9),
  ]);
  const e = walkForwardEfficiency(wf, 100000);
  near(e.wfe, 0.4);
  near(e.wfe_ratio.mean_train_sharpe, 1.0);
  near(e.wfe_ratio.mean_test_sharpe, 0.4);
  assert.equal(e.wfe_ratio.periods, 4);
  assert.equal(e.wfe_rule, WFE_RULE);
  // The per-period ratios 0.5, 0.25, -0.2, 0.6: mean 0.2875, median 0.375; quartiles by linear
  // interpolation of the sorted -0.2, 0.25, 0.5, 0.6 at 0.75 and 2.25: 0.1375 and 0.525.
  near(e.wfe_mean, 1.15 / 4);
  near(e.wfe_median, 0.375);
  near(e.wfe_p25, 0.1375);
  near(e.wfe_p75, 0.525);
  near(e.wfe_iqr, 0.3875);
  // Every window traded: leaving none out gives the same figure.
  assert.equal(e.wfe_no_test_sharpe, 0);
  assert.equal(e.wfe_left_out.wfe, e.wfe);
  assert.equal(checkGuards(e, DEFAULT_GUARDS).guards[0].value, e.wfe);
  // A mean training Sharpe at or below 0 gives 0, whatever the test: train mean (0.5 - 1 + 0.3 -
  // 0.2) / 4 = -0.1, test mean 0.45.
  const down = ratioOfMeans([{ train: 0.5, test: 0.6 }, { train: -1, test: 0.4 }, {
    train: 0.3,
    test: 0.5,
  }, { train: -0.2, test: 0.3 }]);
  assert.equal(down.wfe, 0);
  near(down.mean_train_sharpe, -0.1);
  near(down.mean_test_sharpe, 0.45);
});

Deno.test("one period with a training Sharpe of 0.004 inflates the mean of ratios; the guard fails", () => {
  const wf = result([
    period(0, 0.004, 2.84), // the full market's period: WFE 710
    period(1, 0.9, -1.5),
    period(2, 0.7, -1.1),
    period(3, 0.5, null), // the chosen combination found no entry in the test window
    period(4, -0.2, 0.3), // training Sharpe <= 0: no per-period ratio, but in the means
    period(5, null, null), // no selection: in neither mean
  ]);
  const e = walkForwardEfficiency(wf, 100000);
  // The mean of the per-period ratios (2.84 / 0.004, -1.5 / 0.9, -1.1 / 0.7) would pass by far.
  near(e.wfe_mean, (710 - 1.5 / 0.9 - 1.1 / 0.7) / 3);
  assert.ok(e.wfe_mean! > 200);
  // Ratio of means over the five periods with a selection, period 3's test counting as 0:
  // test (2.84 - 1.5 - 1.1 + 0 + 0.3) / 5 = 0.108, train (0.004 + 0.9 + 0.7 + 0.5 - 0.2) / 5 = 0.3808.
  near(e.wfe, 0.54 / 1.904);
  assert.equal(e.wfe_ratio.periods, 5);
  assert.equal(e.wfe_no_test_sharpe, 1);
  // Period 3 left out of both means: test 0.54 / 4, train 1.404 / 4.
  near(e.wfe_left_out.wfe, 0.54 / 1.404);
  assert.equal(e.wfe_left_out.periods, 4);
  // Period 0's ratio is noise, and named.
  assert.ok(0.004 < NEAR_ZERO_TRAIN_SHARPE);
  assert.deepEqual(e.near_zero_train_periods, [0]);
  const verdict = checkGuards(e, { ...DEFAULT_GUARDS, minTradesPerWindow: 0 });
  assert.equal(verdict.verdict, "reject");
  assert.deepEqual(verdict.failed, ["wfe"]);
  assert.equal(verdict.guards[0].value, e.wfe);
  // walk_forward.json carries the guard's figure, the rule, and the per-period median and IQR.
  const block = wfeJson(e) as {
    value: number;
    rule: string;
    no_test_sharpe_left_out: { value: number };
    per_period: { median: number; iqr: number; mean: number };
    near_zero_train_sharpe: { periods: number[] };
  };
  assert.equal(block.value, verdict.guards[0].value);
  assert.equal(block.rule, "ratio_of_means_no_test_sharpe_as_zero");
  assert.equal(block.no_test_sharpe_left_out.value, e.wfe_left_out.wfe);
  assert.equal(block.per_period.median, e.wfe_median);
  assert.equal(block.per_period.iqr, e.wfe_iqr);
  assert.equal(block.per_period.mean, e.wfe_mean);
  assert.deepEqual(block.near_zero_train_sharpe.periods, [0]);
});

Deno.test("inactivity is not rewarded: more idle test windows never raise a positive WFE", () => {
  // Three trading windows at test 0.8 against train 1.0; each further selected window without a
  // test trade (train 1.0) lowers the guard's figure toward 0, while leaving them out keeps 0.8.
  let previous = Infinity;
  for (let idle = 0; idle <= 6; idle++) {
    const periods = [period(0, 1, 0.8), period(1, 1, 0.8), period(2, 1, 0.8)];
    for (let k = 0; k < idle; k++) periods.push(period(3 + k, 1, null));
    const e = walkForwardEfficiency(result(periods), 100000);
    near(e.wfe, 2.4 / (3 + idle));
    near(e.wfe_left_out.wfe, 0.8);
    assert.ok(e.wfe! < previous);
    previous = e.wfe!;
  }
});

Deno.test("no period with a selection: the WFE is undefined and its guard fails", () => {
  const e = walkForwardEfficiency(result([period(0, null, null), period(1, null, null)]), 100000);
  assert.equal(e.wfe, null);
  assert.equal(e.wfe_ratio.periods, 0);
  assert.equal(e.wfe_median, null);
  assert.equal(e.wfe_iqr, null);
  assert.equal(checkGuards(e, DEFAULT_GUARDS).guards[0].passed, false);
});
