/**
 * Step (c) of a walk-forward: the result from the outcomes of all its work, whether they were
 * computed in this process or read back from shards. The test windows, stitched in order, form
 * the out-of-sample run; the full-data runs form the trial set behind PBO and the DSR; the
 * efficiency figures and the guards' verdict judge the findings.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { dayToIso } from "../data/dates.ts";
import { returnDiagnostics } from "../stats/diagnostics.ts";
import { median } from "../stats/median.ts";
import { periodReturns } from "../stats/returns.ts";
import { funnelOf, sumFunnels } from "../strategy/funnel.ts";
import { ivPercentileTable } from "../strategy/iv_rank.ts";
import { type MarketRegimeTable, marketRegimeTable } from "../strategy/market_regime.ts";
import { diagnosticsOptions } from "../strategy/params.ts";
import { firstEntryIndex } from "../strategy/tradable.ts";
import type { DailyState } from "../simulation/portfolio.ts";
import {
  checkGuards,
  type Verdict,
  type WalkForwardEfficiency,
  walkForwardEfficiency,
} from "./efficiency.ts";
import type { FullRunOutcome, PeriodOutcome, WalkForwardOutcomes } from "./outcomes.ts";
import type { WalkForwardPlan } from "./plan.ts";
import type { PeriodResult, RankedCombination, WalkForwardFindings } from "./result.ts";
import { applyCombination, combinationValues } from "./settings.ts";
import { alphaDecay, parameterStability } from "./stats.ts";
import { trialSet, trialSetPbo } from "./trial_set.ts";

/** A walk-forward's findings judged: its efficiency figures and the guards' verdict. */
export interface WalkForwardResult extends WalkForwardFindings {
  /** WFE per period and the figures the guards check. */
  efficiency: WalkForwardEfficiency;
  /** Pass or reject, by `[walk_forward.guards]`. */
  verdict: Verdict;
}

/**
 * Chains the test windows' daily states: each window's money amounts scaled so that it starts
 * where the previous one ended (heat, a ratio, is unchanged); drawdown and P&L are measured on
 * the stitched equity.
 */
function stitch(periods: PeriodResult[], startingEquity: number): DailyState[] {
  const out: DailyState[] = [];
  let base = startingEquity;
  let peak = startingEquity;
  let previous = startingEquity;
  for (const p of periods) {
    const scale = base / startingEquity;
    for (const e of p.testDaily) {
      const equity = e.equity * scale;
      if (equity > peak) peak = equity;
      out.push({
        ...e,
        equity,
        cash: e.cash * scale,
        openRisk: e.openRisk * scale,
        openValue: e.openValue * scale,
        drawdown: equity / peak - 1,
        dailyPnl: equity - previous,
        cumulativePnl: equity - startingEquity,
        netDelta: e.netDelta * scale,
        netGamma: e.netGamma * scale,
        netTheta: e.netTheta * scale,
        netVega: e.netVega * scale,
      });
      previous = equity;
    }
    if (p.testDaily.length) base = out[out.length - 1].equity;
  }
  return out;
}

/** The flat daily state of a window in which nothing is held (no selection). */
function flatDays(
  context: { calendar: Int32Array; vixClose: Float64Array },
  w: { fromIndex: number; toIndex: number },
  equity: number,
) {
  const days: DailyState[] = [];
  for (let d = w.fromIndex; d <= w.toIndex; d++) {
    days.push({
      day: context.calendar[d],
      equity,
      cash: equity,
      openRisk: 0,
      drawdown: 0,
      openValue: 0,
      openPositions: 0,
      heat: 0,
      dailyPnl: 0,
      cumulativePnl: 0,
      netDelta: 0,
      netGamma: 0,
      netTheta: 0,
      netVega: 0,
      vix: context.vixClose[d],
    });
  }
  return days;
}

/**
 * What the assembly needs of the store besides the outcomes: its calendar and VIX closes (for
 * the flat test windows of periods without a selection), the first day any combination could
 * enter (the trial set's tradable span), and the market regimes (metrics by regime).
 */
export interface AssemblyContext {
  /** The store's trading days. */
  calendar: Int32Array;
  /** VIX close per trading day (NaN where unknown). */
  vixClose: Float64Array;
  /** Calendar index of the first day any combination could enter in the span (-1: none). */
  tradableFrom: number;
  /** The store's market regimes. */
  marketRegimes: MarketRegimeTable;
}

/**
 * The assembly context of a store.
 *
 * @param store the store the plan was made on
 * @param plan the plan
 * @param ivPct the base IV percentile table, if already built
 * @returns the calendar, VIX closes, first tradable day and market regimes
 */
export function assemblyContext(
  store: ChainStore,
  plan: WalkForwardPlan,
  ivPct?: Float64Array,
): AssemblyContext {
  const baseIv = ivPct ?? ivPercentileTable(store, plan.base.ivHistoryDays);
  const tables = new Map<number, Float64Array>([[plan.base.ivHistoryDays, baseIv]]);
  let tradableFrom = -1;
  for (const p of plan.comboParams) {
    let table = tables.get(p.ivHistoryDays);
    if (!table) tables.set(p.ivHistoryDays, table = ivPercentileTable(store, p.ivHistoryDays));
    const d = firstEntryIndex(store, p, table, plan.span);
    if (d >= 0 && (tradableFrom < 0 || d < tradableFrom)) tradableFrom = d;
  }
  return {
    calendar: store.calendar,
    vixClose: store.data.vixClose,
    tradableFrom,
    marketRegimes: marketRegimeTable(store),
  };
}

/**
 * Step (c) of the walk-forward: the result from the outcomes of all its work, whether they were
 * computed in this process or read back from shards. The one code path from outcomes to result.
 *
 * @param plan the plan
 * @param context what the result needs of the store
 * @param outcomes every period's and every combination's outcomes (any order)
 * @returns the walk-forward result
 * @throws Error when a period or a full-data run is missing or given twice
 */
export function assembleWalkForward(
  plan: WalkForwardPlan,
  context: AssemblyContext,
  outcomes: WalkForwardOutcomes,
): WalkForwardResult {
  const { config, settings, combinations: nCombos, periods, span, base } = plan;
  const byPeriod: PeriodOutcome[] = new Array(periods.length);
  for (const o of outcomes.periods) {
    if (!(o.period >= 0 && o.period < periods.length)) {
      throw new Error(`Outcome of period ${o.period}, which the plan does not have`);
    }
    if (byPeriod[o.period]) throw new Error(`Period ${o.period} given twice`);
    byPeriod[o.period] = o;
  }
  const byCombo: FullRunOutcome[] = new Array(nCombos);
  for (const r of outcomes.fullRuns) {
    if (!(r.combination >= 0 && r.combination < nCombos)) {
      throw new Error(
        `Full-data run of combination ${r.combination}, which the grid does not have`,
      );
    }
    if (byCombo[r.combination]) throw new Error(`Full-data run ${r.combination} given twice`);
    byCombo[r.combination] = r;
  }
  for (let i = 0; i < periods.length; i++) {
    if (!byPeriod[i]) throw new Error(`Period ${i} is missing`);
  }
  for (let c = 0; c < nCombos; c++) {
    if (!byCombo[c]) throw new Error(`The full-data run of combination ${c} is missing`);
  }
  const trainSharpe = new Float64Array(periods.length * nCombos).fill(NaN);
  const trainTrades = new Int32Array(periods.length * nCombos);
  const validateSharpe = new Float64Array(periods.length * nCombos).fill(NaN);
  const validateTrades = new Int32Array(periods.length * nCombos).fill(-1);
  for (const o of byPeriod) {
    o.train.forEach((t, c) => {
      trainSharpe[o.period * nCombos + c] = t.sharpe ?? NaN;
      trainTrades[o.period * nCombos + c] = t.trades;
    });
  }
  const periodResults: PeriodResult[] = periods.map((p) => {
    const o = byPeriod[p.index];
    const top: RankedCombination[] = o.top.map((c, r) => {
      const v = o.validate[r];
      validateSharpe[p.index * nCombos + c] = v.sharpe ?? NaN;
      validateTrades[p.index * nCombos + c] = v.trades;
      return {
        combination: c,
        train_sharpe: o.train[c].sharpe,
        train_trades: o.train[c].trades,
        validate_sharpe: v.sharpe,
        validate_trades: v.trades,
      };
    });
    if (o.test === null) {
      return {
        period: p,
        top,
        chosen: null,
        chosenValues: null,
        test_sharpe: null,
        test_trade_count: 0,
        testTrades: [],
        testDaily: flatDays(context, p.test, base.startingEquity),
        testMissingQuotes: 0,
        testFunnel: funnelOf([]),
      };
    }
    const t = o.test;
    return {
      period: p,
      top,
      chosen: top.find((x) => x.combination === o.chosen)!,
      chosenValues: combinationValues(settings, o.chosen),
      test_sharpe: t.sharpe,
      test_trade_count: t.trades,
      testTrades: t.trades_list,
      testDaily: t.daily,
      testMissingQuotes: t.missingQuotes,
      testFunnel: t.funnel,
    };
  });
  const full = byCombo;
  const oosTrades = periodResults.flatMap((p) => p.testTrades);
  const oosDaily = stitch(periodResults, base.startingEquity);
  const firstSelected = periodResults.find((p) => p.chosen !== null);
  const oosFromDay = firstSelected ? context.calendar[firstSelected.period.test.fromIndex] : null;
  const oosSpan = oosFromDay === null ? [] : oosDaily.filter((e) => e.day >= oosFromDay);
  const oosBase = oosDaily.length > oosSpan.length && oosDaily.length > 0
    ? oosDaily[oosDaily.length - oosSpan.length - 1].equity
    : base.startingEquity;
  const testSharpes = periodResults.map((p) => p.test_sharpe);
  const defined = testSharpes.filter((s): s is number => s !== null);
  const xs: number[] = [];
  const ys: number[] = [];
  testSharpes.forEach((s, i) => {
    if (s !== null) {
      xs.push(i);
      ys.push(s);
    }
  });
  // PBO and the DSR's trials: the combinations' full-data daily returns over the tradable span
  // (from the first day any combination could enter), never-trading ones left out, identical
  // ones merged. PBO ranks the trials against each other: undefined with fewer than two. The
  // full-data runs cover the walk-forward's span; the trial set's indexes are relative to it.
  const tradableFrom = context.tradableFrom;
  const trials = trialSet(full.map((r) => r.equityValues), full.map((r) => r.trades), {
    startingEquity: base.startingEquity,
    fromIndex: tradableFrom < 0 ? span.toIndex + 1 - span.fromIndex : tradableFrom - span.fromIndex,
    riskFreeRate: base.riskFreeRate,
  });
  const { matrix: _trialMatrix, ...spanInfo } = trials;
  const trialInfo = { ...spanInfo, from_index: spanInfo.from_index + span.fromIndex };
  const { pbo, min_trades: pboMinTrades } = trialSetPbo(trials, full.map((r) => r.trades), {
    blocks: config.diagnostics.pbo_blocks,
    riskFreeRate: base.riskFreeRate,
    minTrades: settings.minTrainTrades,
  });
  const lastSelected = periodResults.findLast((p) => p.chosen !== null);
  const latest = lastSelected ? lastSelected.chosen!.combination : -1;
  const result: WalkForwardFindings = {
    settings,
    combinations: nCombos,
    periods: periodResults,
    trainSharpe,
    trainTrades,
    validateSharpe,
    validateTrades,
    oosTrades,
    oosDaily,
    oosFrom: oosFromDay === null ? null : dayToIso(oosFromDay),
    oosMissingQuotes: periodResults.reduce((a, p) => a + p.testMissingQuotes, 0),
    oosFunnel: sumFunnels(periodResults.map((p) => p.testFunnel)),
    trials: trialInfo,
    fullRuns: { trades: full.map((r) => r.trades), funnels: full.map((r) => r.funnel) },
    pbo,
    pboMinTrades,
    oosDiagnostics: returnDiagnostics(
      periodReturns(oosSpan.map((e) => e.equity), oosBase),
      diagnosticsOptions(config, Math.max(1, trials.kept.length), trials.sharpe_variance),
    ),
    aggregate: {
      mean_oos_sharpe: defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : null,
      median_oos_sharpe: median(defined),
      no_selection_periods: periodResults.filter((p) => p.chosen === null).length,
      parameter_stability: parameterStability(
        periodResults.flatMap((p) => (p.chosenValues ? [p.chosenValues] : [])),
        settings.grid.map((g) => g.key),
      ),
      alpha_decay: alphaDecay(xs, ys),
    },
    latestConfig: latest >= 0 ? applyCombination(config, settings, latest) : null,
    dropped: plan.dropped,
    span,
    marketRegimes: context.marketRegimes,
  };
  const efficiency = walkForwardEfficiency(result, base.startingEquity);
  return { ...result, efficiency, verdict: checkGuards(efficiency, settings.guards) };
}
