/**
 * The summary `optimize` prints: periods without a selection, the stitched out-of-sample run's
 * Sharpe, return and drawdown beside the mean of the window Sharpe ratios, why nothing traded
 * when nothing did, and the overfitting statistics with their trial set and tie rule (and PBO
 * over the trials with at least `min_train_trades` trades, when that key is set).
 *
 * @module
 */
import {
  gridBlocks,
  type Metrics,
  type SimParams,
  type StrategyConfig,
  type WalkForwardResult,
} from "../lib/core.ts";
import { fixed2, percent } from "./args.ts";
import { funnelLine, noTradeLines } from "./backtest.ts";

/** The stitched run and the window Sharpe ratios. */
function outOfSampleLines(result: WalkForwardResult, oos: Metrics): string[] {
  const a = result.aggregate;
  const lines: string[] = [];
  const n = result.periods.length;
  if (a.no_selection_periods > 0) {
    lines.push(
      `${a.no_selection_periods} of ${n} periods made no selection (no combination traded in ` +
        `the training window) and took no test trade.`,
    );
  }
  if (result.oosFrom === null) {
    lines.push("Out-of-sample: no period selected a combination, so no test window traded.");
  } else {
    lines.push(
      `Out-of-sample, the test windows stitched from ${oos.first_date} to ${oos.last_date} (${oos.trading_days} trading days, ${oos.trade_count} trades): ` +
        `Sharpe ${fixed2(oos.sharpe)} (monthly x sqrt 12; daily ${
          fixed2(oos.sharpe_daily)
        }), return ${percent(oos.total_return)}, max drawdown ${percent(oos.max_drawdown)}.`,
    );
  }
  const windows = result.periods.filter((p) => p.test_sharpe !== null).length;
  if (windows === 0) return lines;
  lines.push(
    `Test windows one by one: mean Sharpe ${fixed2(a.mean_oos_sharpe)}, median ${
      fixed2(a.median_oos_sharpe)
    } over the ${windows} with a Sharpe ratio; alpha-decay slope ${
      fixed2(a.alpha_decay.slope)
    } per period.`,
  );
  return lines;
}

/** Why nothing traded: the grid over the whole data, or the test windows. */
function noTradeExplanation(
  result: WalkForwardResult,
  oos: Metrics,
  config: StrategyConfig,
  params: SimParams,
): string[] {
  const total = result.combinations;
  if (result.fullRuns.trades.every((t) => t === 0)) {
    const lines = [
      `No combination of the grid entered a position over the whole data (${total} combinations).`,
    ];
    for (const b of gridBlocks(result.fullRuns, config, result.settings)) {
      lines.push(
        `Stopped by ${b.reason} in ${b.combinations} of ${total} combinations ` +
          `(e.g. combination ${b.example}).`,
      );
      lines.push(`${funnelLine(b.funnel)} (combination ${b.example})`);
    }
    return lines;
  }
  if (oos.trade_count === 0 && result.oosFrom !== null) {
    return [
      "Out of sample (the test windows, each with its period's chosen parameters):",
      ...noTradeLines(result.oosFunnel, params),
    ];
  }
  return [];
}

/** PBO with its trial set and tie rule, and the out-of-sample DSR. */
function overfittingLine(result: WalkForwardResult): string {
  const t = result.trials;
  const left = `${t.never_trading} never trade, ${t.duplicates} duplicates merged`;
  const si = result.oosDiagnostics.sharpe_inference;
  const dsr = si.dsr === null
    ? "out-of-sample DSR n/a"
    : `out-of-sample DSR ${si.dsr.toFixed(3)} against ${si.trials} trials`;
  const p = result.pbo;
  if (p === null) {
    return `Overfitting: PBO n/a: it ranks at least two distinct trading combinations, and the ` +
      `grid has ${t.kept.length} of ${t.combinations} (${left}); ${dsr}`;
  }
  const set = `${t.kept.length} distinct trading combinations of ${t.combinations} (${left})`;
  const ties = p.pboTiesLow === p.pboTiesHigh
    ? "ties do not change it"
    : `ties count half; ${p.pboTiesLow.toFixed(2)} ranking them low, ${
      p.pboTiesHigh.toFixed(2)
    } high (${p.tiedSplits} of ${p.splits} splits tie)`;
  return `Overfitting: PBO ${
    p.pbo.toFixed(2)
  } (CSCV, ${p.splits} splits, excess returns) over ${set}; ${ties}; ${dsr}`;
}

/** The PBO over the trials with at least min_train_trades trades, when that key is set. */
function minTradesLine(result: WalkForwardResult): string[] {
  const m = result.pboMinTrades;
  if (m.min_train_trades === 0) return [];
  const n = m.combinations.length;
  const over = `the ${n} of ${result.trials.kept.length} distinct trading combinations with at ` +
    `least ${m.min_train_trades} trades (min_train_trades)`;
  if (m.pbo === null) return [`  PBO n/a over ${over}: it ranks at least two`];
  const ties = m.pbo.pboTiesLow === m.pbo.pboTiesHigh
    ? ""
    : ` (${m.pbo.pboTiesLow.toFixed(2)} ranking ties low, ${m.pbo.pboTiesHigh.toFixed(2)} high)`;
  return [`  PBO ${m.pbo.pbo.toFixed(2)}${ties} over ${over}`];
}

/**
 * The summary lines of a walk-forward.
 *
 * @param result the walk-forward
 * @param oos the stitched run's metrics
 * @param config the base configuration
 * @param params its parameters (thresholds for the no-trade explanation)
 */
export function summaryLines(
  result: WalkForwardResult,
  oos: Metrics,
  config: StrategyConfig,
  params: SimParams,
): string[] {
  return [
    ...outOfSampleLines(result, oos),
    ...noTradeExplanation(result, oos, config, params),
    overfittingLine(result),
    ...minTradesLine(result),
  ];
}
