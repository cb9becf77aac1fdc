/**
 * The daily simulation engine. Every trading day of the window, in the spec's order:
 * 1. mark the open spreads from the day's snapshot (portfolio.ts);
 * 2. check exits: profit target, stop loss, time exit, expiration (exits.ts), then early
 *    assignment at the close (assignment.ts);
 * 3. execute them: fills with slippage and commission, or settlement (execution.ts);
 * 4. update the portfolio's state: value at mark and open risk after the exits;
 *    then the circuit breakers, when `[risk]` sets any (breakers.ts): a halt blocks the day's
 *    entries, and a daily or weekly loss halt may close every open position ("circuit_breaker");
 * 5. scan, rank and enter within the constraints (scanner, constraints.ts), except on the last
 *    day or a halted one: a position needs a next day to be managed; with "vix_rank" sizing the
 *    risk-per-trade contracts scale by 1 - the day's VIX percentile rank (strategy/vix_rank.ts);
 * 6. log the day's state (equity, cash, risk, heat, P&L, net greeks).
 * Positions still open on the last day close at that day's fills ("end_of_period"), so trade
 * P&L always sums to the equity change.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { TYPE_CALL, TYPE_PUT } from "../data/chain_store.ts";
import { CONTRACT_MULTIPLIER } from "../data/conventions.ts";
import { buyFill, sellFill } from "../pricing/fills.ts";
import {
  CandidateBuffer,
  KIND_IRON_CONDOR,
  nextBest,
  scanDay,
  SPREAD_TYPE_OF,
  startSelection,
} from "../strategy/_scanner.ts";
import { entryQuoteOf, scoreTermsOf } from "../strategy/_rationale.ts";
import { quoteOf, rowRho } from "../strategy/_legs.ts";
import { type EntryFunnel, funnelOf, Stage } from "../strategy/funnel.ts";
import { type SimParams, slippageOf } from "../strategy/params.ts";
import { isPutLeg, isShortLeg, LEGS_OF } from "../strategy/spread.ts";
import { vixRankTable } from "../strategy/vix_rank.ts";
import { assignedLeg, assignmentFills } from "./assignment.ts";
import { DayFilters, dayFiltersOn } from "../strategy/rule_filters.ts";
import { limitContracts, limitsOn, resetLimitFunnel } from "./rule_constraints.ts";
import { breakersOn, CircuitBreakers } from "./breakers.ts";
import { allowedContracts, hasRoom } from "./constraints.ts";
import { exitFills, orderCommission, settle, settlementPrice } from "./execution.ts";
import { exitReason } from "./exits.ts";
import {
  type DailyState,
  Portfolio,
  type PositionDay,
  type PositionLeg,
  type Trade,
} from "./portfolio.ts";

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** First calendar index (inclusive); default 0. */
  fromIndex?: number;
  /** Last calendar index (inclusive); default the last day. */
  toIndex?: number;
  /** IV percentile per (ticker, day) (see ivPercentileTable), required when ivPctMin > 0. */
  ivPct: Float64Array;
  /** A candidate buffer to reuse across runs (saves allocation in the optimizer). */
  buffer?: CandidateBuffer;
  /** Record only `equityValues`, not the daily state (the optimizer's training runs). */
  equityValuesOnly?: boolean;
  /** Also record every open position at the end of every day (`positions`). */
  recordPositions?: boolean;
}

/** Result of {@link simulate}. */
export interface SimulationResult {
  /** Completed trades, in entry order. */
  trades: Trade[];
  /** The portfolio's state at the end of each day (empty with `equityValuesOnly`). */
  daily: DailyState[];
  /** End-of-day equity, one value per day of the window. */
  equityValues: Float64Array;
  /** Position-days on which a held position's set of quotes was incomplete (last set kept). */
  missingQuotes: number;
  /** What passed each entry filter over the run. */
  funnel: EntryFunnel;
  /** Open positions at the end of each day, when asked for (`recordPositions`). */
  positions: PositionDay[];
}

/** Everything one run carries from step to step. */
interface Run {
  store: ChainStore;
  p: SimParams;
  options: SimulateOptions;
  portfolio: Portfolio;
  candidates: CandidateBuffer;
  /** Ticker indexes of the configured underlyings present in the store. */
  tickers: number[];
  /** Correlation group of each ticker index (-1: none). */
  groupOf: Int32Array;
  /** VIX percentile rank per calendar day ("vix_rank" sizing), or null. */
  vixRank: Float64Array | null;
  /** Scratch: a candidate's leg rows, and its strikes. */
  rows: number[];
  strikes: number[];
  /** Scratch: an exit's fills and per-leg commissions. */
  fills: number[];
  legCommissions: number[];
  /** Scratch: the day's smallest max loss per contract by correlation group, then no group. */
  cheapest: Float64Array;
  /** The risk rules' day filters, when any is on. */
  dayFilters: DayFilters | null;
  /** Whether any of the risk rules' limits is on. */
  limits: boolean;
}

/**
 * Step 2: decides each open position's exit for the day (its `exitReason`); a position that
 * no exit closes during the day may be assigned early at the close (assignment.ts), before the
 * end of the period closes it.
 */
function checkExits(run: Run, day: number, d: number, lastDay: boolean): void {
  for (const pos of run.portfolio.open) {
    const reason = exitReason(pos, day, d, lastDay, run.p);
    pos.exitReason = (reason === null || reason === "end_of_period") &&
        assignedLeg(run.store, pos, d, run.p) >= 0
      ? "assignment"
      : reason;
  }
}

/**
 * Step 3: closes the positions with an exit: at expiration every leg settles at intrinsic
 * value (a commission for each leg in the money); otherwise the legs close as one order of
 * their leg count, each paying the commission.
 */
function executeExits(run: Run, day: number, d: number): void {
  const { store, p, portfolio, fills, legCommissions } = run;
  const open = portfolio.open;
  for (let n = 0; n < open.length; n++) {
    const pos = open[n];
    if (!pos.exitReason) continue;
    const legs = pos.legs;
    legCommissions.length = legs.length;
    const perLeg = p.commission * pos.contracts;
    if (pos.exitReason === "expiration") {
      const spot = settlementPrice(store, pos.t, pos.expiry);
      const values = settle(legs, spot).values;
      for (let i = 0; i < legs.length; i++) legCommissions[i] = values[i] > 0 ? perLeg : 0;
      portfolio.close(n, { day, underlyingPrice: spot, fills: values, legCommissions });
    } else if (pos.exitReason === "assignment") {
      const close = store.data.barClose[pos.t * store.nDays + d];
      const assigned = assignedLeg(store, pos, d, p);
      assignmentFills(legs, assigned, close, p, pos.contracts, fills, legCommissions);
      portfolio.close(n, { day, underlyingPrice: close, fills, legCommissions });
    } else {
      const k = pos.t * store.nDays + d;
      const snapshot = store.data.snapshotEnd[k] > store.data.snapshotStart[k];
      const spot = snapshot ? store.columns.stockPrice[store.data.snapshotStart[k]] : pos.spot;
      exitFills(legs, slippageOf(p, legs.length), fills);
      legCommissions.fill(perLeg);
      portfolio.close(n, { day, underlyingPrice: spot, fills, legCommissions });
    }
    n--;
  }
}

/** The legs of candidate `best`, at its entry fills, with their quotes and greeks of the day. */
function legsOf(run: Run, best: number): PositionLeg[] {
  const { store, p, candidates, rows } = run;
  const c = store.columns;
  const roles = LEGS_OF[SPREAD_TYPE_OF[candidates.kind[best]]];
  const slippage = slippageOf(p, roles.length);
  return roles.map((role, i): PositionLeg => {
    const row = rows[i];
    const short = isShortLeg(role);
    const isPut = isPutLeg(role);
    return {
      role,
      isPut,
      type: isPut ? TYPE_PUT : TYPE_CALL,
      strike: c.strike[row],
      ratio: short ? -1 : 1,
      mark: quoteOf(store, row),
      entryFill: short
        ? sellFill(c.bid[row], c.ask[row], slippage)
        : buyFill(c.bid[row], c.ask[row], slippage),
      entryQuote: quoteOf(store, row),
      entryIv: c.iv[row],
    };
  });
}

/**
 * The smallest max loss per contract among the day's candidates of each correlation group (the
 * last entry: of tickers in no group), as the entry computes it (the Reg-T margin plus the entry
 * commissions of its legs), into `run.cheapest`; Infinity where there is none (a NaN never sizes).
 */
function cheapestPerContract(run: Run): void {
  const { candidates, p } = run;
  const underlying = run.store.columns.underlying;
  const none = run.cheapest.length - 1;
  run.cheapest.fill(Infinity);
  for (let n = 0; n < candidates.count; n++) {
    const legs = candidates.kind[n] === KIND_IRON_CONDOR ? 4 : 2;
    const perContract = candidates.maxLoss[n] * CONTRACT_MULTIPLIER +
      orderCommission(legs, 1, p.commission);
    const group = run.groupOf[underlying[candidates.shortRow[n]]];
    const g = group >= 0 ? group : none;
    if (perContract < run.cheapest[g]) run.cheapest[g] = perContract;
  }
}

/** Step 5: scans the configured underlyings, ranks the candidates and enters the best. */
function scanRankEnter(run: Run, d: number): void {
  const { store, p, portfolio, candidates, rows, strikes } = run;
  if (!hasRoom(portfolio.open.length, p)) return;
  const day = store.calendar[d];
  const c = store.columns;
  const ivPct = run.options.ivPct;
  candidates.count = 0;
  for (const t of run.tickers) {
    scanDay(store, t, d, ivPct[t * store.nDays + d], p, candidates, run.dayFilters);
  }
  const equity = portfolio.equity;
  const scale = run.vixRank ? 1 - run.vixRank[d] : 1;
  // Every term of a size falls as the max loss per contract rises: when the cheapest candidate
  // of each correlation group cannot have a contract, none can, and the rest of the day's
  // candidates (thousands of iron condors when a budget is spent) need not be ranked.
  cheapestPerContract(run);
  const anyFits = () => {
    for (let g = 0; g < run.cheapest.length; g++) {
      if (!(run.cheapest[g] < Infinity)) continue;
      const none = g === run.cheapest.length - 1;
      const groupRisk = none ? NaN : portfolio.groupRisk(run.groupOf, g);
      if (allowedContracts(run.cheapest[g], equity, portfolio.openRisk, groupRisk, p, scale) >= 1) {
        return true;
      }
    }
    return false;
  };
  if (!anyFits()) return;
  startSelection(store, candidates);
  let entries = 0;
  while (entries < p.maxEntriesPerDay && hasRoom(portfolio.open.length, p) && anyFits()) {
    const best = nextBest(store, candidates);
    if (best < 0) break;
    candidates.legRows(best, rows);
    const si = rows[0];
    const t = c.underlying[si];
    const spreadType = SPREAD_TYPE_OF[candidates.kind[best]];
    strikes.length = rows.length;
    for (let i = 0; i < rows.length; i++) strikes[i] = c.strike[rows[i]];
    if (portfolio.holds(t, c.expiry[si], spreadType, strikes)) continue;
    const legCount = rows.length;
    // Max loss per contract: the Reg-T margin of the defined-risk spread, (width - credit)·100
    // (an iron condor's wider width), plus the entry commissions.
    const perContract = candidates.maxLoss[best] * CONTRACT_MULTIPLIER +
      orderCommission(legCount, 1, p.commission);
    const group = run.groupOf[t];
    const groupRisk = group >= 0 ? portfolio.groupRisk(run.groupOf, group) : NaN;
    let contracts = allowedContracts(
      perContract,
      equity,
      portfolio.openRisk,
      groupRisk,
      p,
      scale,
    );
    if (!(contracts >= 1)) continue;
    if (run.limits) { // the risk rules' limits (rule_constraints.ts)
      const ratios = LEGS_OF[spreadType].map((role) => isShortLeg(role) ? -1 : 1);
      const candidate = { t, rows, ratios, spot: c.stockPrice[si], perContractUsd: perContract };
      contracts = limitContracts(
        store,
        portfolio.open,
        candidate,
        contracts,
        equity,
        p.rules!,
        candidates.funnel,
      );
      if (!(contracts >= 1)) continue;
    }
    const ivRank = ivPct[t * store.nDays + d];
    // The position's greeks per share: the legs as held (a leg sold counts negative).
    let delta = 0, gamma = 0, theta = 0, vega = 0, rho = 0;
    const roles = LEGS_OF[spreadType];
    for (let i = 0; i < legCount; i++) {
      const ratio = isShortLeg(roles[i]) ? -1 : 1;
      const row = rows[i];
      delta += ratio * c.delta[row];
      gamma += ratio * c.gamma[row];
      theta += ratio * c.theta[row];
      vega += ratio * c.vega[row];
      rho += ratio * rowRho(store, row, p.riskFreeRate);
    }
    portfolio.enter(
      {
        id: 0,
        t,
        underlying: store.tickers[t],
        spreadType,
        expiry: c.expiry[si],
        legs: legsOf(run, best),
        contracts,
        entryDay: day,
        entryIndex: d,
        entryCredit: candidates.credit[best],
        entryCommission: orderCommission(legCount, contracts, p.commission),
        maxLossUsd: perContract * contracts,
        entry: {
          dte: c.expiry[si] - day,
          shortDelta: c.delta[si],
          greeks: { delta, gamma, theta, vega, rho },
          ivRank,
          vix: store.data.vixClose[d],
          spot: c.stockPrice[si],
          pItm: candidates.pItm[best],
          expectedValue: candidates.expectedValue[best],
          score: scoreTermsOf(candidates, best),
          quote: entryQuoteOf(store, candidates, best, ivRank),
          params: p,
        },
        spot: c.stockPrice[si],
        quoted: true,
        exitReason: null,
        peakProfit: NaN,
      },
    );
    candidates.funnel[Stage.Entries]++;
    entries++;
  }
}

/**
 * Runs one backtest over calendar indexes [fromIndex, toIndex], starting flat with the starting
 * equity.
 *
 * @param store the chain
 * @param p parameters (see paramsFromConfig)
 * @param options window, IV percentile table, and what to record
 * @returns trades in entry order, the daily state, equity values, the count of missing leg
 *   quotes and the entry funnel
 *
 * @example Six months of a generated market with the test configuration
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, ivPercentileTable, loadConfig, loadMarketData,
 *   paramsFromConfig } from "../mod.ts";
 * import { simulate } from "./engine.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-06-28", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const p = paramsFromConfig(loadConfig("config/test_config.toml"));
 * const run = simulate(store, p, { ivPct: ivPercentileTable(store, p.ivHistoryDays) });
 * const pnl = run.trades.reduce((a, t) => a + t.pnlUsd, 0);
 * const last = run.daily[run.daily.length - 1];
 * assert.ok(run.trades.length > 0 && run.funnel.entries === run.trades.length);
 * assert.ok(Math.abs(last.equity - p.startingEquity - pnl) < 1e-6);
 * assert.ok(run.trades.every((t, i) => t.id === i + 1));
 * ```
 */
export function simulate(
  store: ChainStore,
  p: SimParams,
  options: SimulateOptions,
): SimulationResult {
  const from = options.fromIndex ?? 0;
  const to = options.toIndex ?? store.nDays - 1;
  const groupOf = new Int32Array(store.tickers.length).fill(-1);
  p.correlationGroups.forEach((group, gi) => {
    for (const u of group) {
      const t = store.tickerIndex(u);
      if (t >= 0 && groupOf[t] < 0) groupOf[t] = gi;
    }
  });
  const candidates = options.buffer ?? new CandidateBuffer();
  candidates.funnel.fill(0);
  // The ex-dividend skips are counted when avoid_ex_dividend_days is on, NaN (absent) otherwise.
  if (!((p.avoidExDividendDays ?? 0) > 0)) candidates.funnel[Stage.ExDividend] = NaN;
  DayFilters.resetFunnel(candidates.funnel, p);
  resetLimitFunnel(candidates.funnel, p);
  const run: Run = {
    store,
    p,
    options,
    portfolio: new Portfolio(p.startingEquity),
    candidates,
    tickers: p.underlyings.map((u) => store.tickerIndex(u)).filter((t) => t >= 0),
    groupOf,
    vixRank: p.vixRankSizing ? vixRankTable(store, p.vixRankLookback) : null,
    rows: [],
    strikes: [],
    fills: [],
    legCommissions: [],
    cheapest: new Float64Array(p.correlationGroups.length + 1),
    dayFilters: dayFiltersOn(p) ? new DayFilters(store, p) : null,
    limits: limitsOn(p),
  };
  const breakers = breakersOn(p) ? new CircuitBreakers(p, p.startingEquity) : null;
  const portfolio = run.portfolio;
  const daily: DailyState[] = [];
  const positions: PositionDay[] = [];
  const equityValues = new Float64Array(Math.max(to - from + 1, 0));
  const detail = !options.equityValuesOnly;
  let peak = p.startingEquity;
  let previousEquity = p.startingEquity;

  for (let d = from; d <= to; d++) {
    const day = store.calendar[d];
    const lastDay = d === to;
    portfolio.mark(store, d); //                  1. mark
    checkExits(run, day, d, lastDay); //          2. check exits
    executeExits(run, day, d); //                 3. execute exits
    portfolio.revalue(); //                       4. portfolio state
    let halted = false;
    if (breakers) { //                            4b. circuit breakers
      const decision = breakers.check(
        day,
        portfolio.equity,
        previousEquity,
        peak,
        store.data.vixClose[d],
      );
      halted = decision.halted;
      if (decision.closeAll && portfolio.open.length) {
        for (const pos of portfolio.open) pos.exitReason = "circuit_breaker";
        executeExits(run, day, d);
        portfolio.revalue();
      }
    }
    if (!lastDay && !halted) scanRankEnter(run, d); // 5. scan, rank, enter
    portfolio.revalue(); //                       6. log
    const equity = portfolio.equity;
    if (equity > peak) peak = equity;
    equityValues[d - from] = equity;
    if (detail) {
      const vix = store.data.vixClose[d];
      const state = portfolio.state(day, previousEquity, p.startingEquity, peak, vix);
      if (breakers) Object.assign(state, breakers.log());
      daily.push(state);
      if (options.recordPositions) positions.push(...portfolio.positionDays(day));
    }
    previousEquity = equity;
  }
  return {
    trades: portfolio.trades.sort((a, b) => a.id - b.id),
    daily,
    equityValues,
    missingQuotes: portfolio.missingQuotes,
    funnel: funnelOf(candidates.funnel),
    positions,
  };
}
