/**
 * The entry rationale of a candidate: each filter's value against its threshold and the
 * score's four terms. The numbers are taken from the chain once ({@link entryQuoteOf}, cheap
 * enough for every entry of every run); the record and its one-line text (the trade log's
 * `entry_rationale`) are built from them only when shown, with the thresholds' text cached
 * per parameter set.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { type CandidateBuffer, KIND_IRON_CONDOR, SPREAD_TYPE_OF } from "./_scanner.ts";
import type { SideParams, SimParams } from "./params.ts";
import type { EntryRationale, FilterCheck, ScoreTerms, SpreadType } from "./spread.ts";

/** What the entry filters read of one side's two legs. */
export interface SideQuote {
  /** |delta| of the short leg. */
  shortAbsDelta: number;
  /** |short strike - long strike|, dollars. */
  width: number;
  /** Open interest of the short leg, contracts. */
  shortOpenInterest: number;
  /** Volume of the short leg that day, contracts. */
  shortVolume: number;
  /** (ask - bid) / mid of the short leg. */
  shortBidAskPct: number;
  /** Open interest of the long leg, contracts. */
  longOpenInterest: number;
  /** Volume of the long leg that day, contracts. */
  longVolume: number;
  /** (ask - bid) / mid of the long leg. */
  longBidAskPct: number;
}

/** What the entry filters read of a candidate: a vertical's side, or an iron condor's put side. */
export interface EntryQuote extends SideQuote {
  /** The candidate's spread type. */
  kind: SpreadType;
  /** IV percentile of the underlying that day (NaN while the history is short). */
  ivPercentile: number;
  /** Calendar days to expiry. */
  dte: number;
  /** Credit after slippage, dollars per share (an iron condor's total). */
  credit: number;
  /** An iron condor's call side (absent for a vertical). */
  call?: SideQuote;
}

/** The score terms of candidate n of a buffer. */
export function scoreTermsOf(buf: CandidateBuffer, n: number): ScoreTerms {
  return {
    expected_value: buf.termExpectedValue[n],
    iv_percentile: buf.termIvPercentile[n],
    delta_distance: buf.termDeltaDistance[n],
    credit_width: buf.termCreditWidth[n],
    total: buf.score[n],
  };
}

/** (ask - bid) / mid of row i. */
function bidAskPct(store: ChainStore, i: number): number {
  const c = store.columns;
  return (c.ask[i] - c.bid[i]) / (0.5 * (c.bid[i] + c.ask[i]));
}

/** What the filters read of the side with short leg row s and long leg row l. */
function sideQuoteOf(store: ChainStore, s: number, l: number): SideQuote {
  const c = store.columns;
  return {
    shortAbsDelta: Math.abs(c.delta[s]),
    width: Math.abs(c.strike[s] - c.strike[l]),
    shortOpenInterest: c.openInterest[s],
    shortVolume: c.volume[s],
    shortBidAskPct: bidAskPct(store, s),
    longOpenInterest: c.openInterest[l],
    longVolume: c.volume[l],
    longBidAskPct: bidAskPct(store, l),
  };
}

/**
 * What the entry filters read of candidate n of a buffer.
 *
 * @param store the chain the buffer was filled from
 * @param buf the candidates
 * @param n which candidate
 * @param ivPct the underlying's IV percentile that day
 */
export function entryQuoteOf(
  store: ChainStore,
  buf: CandidateBuffer,
  n: number,
  ivPct: number,
): EntryQuote {
  const c = store.columns;
  const s = buf.shortRow[n];
  const l = buf.longRow[n];
  const quote: EntryQuote = {
    kind: SPREAD_TYPE_OF[buf.kind[n]],
    ivPercentile: ivPct,
    dte: c.expiry[s] - c.day[s],
    shortAbsDelta: Math.abs(c.delta[s]),
    width: Math.abs(c.strike[s] - c.strike[l]),
    credit: buf.credit[n],
    shortOpenInterest: c.openInterest[s],
    shortVolume: c.volume[s],
    shortBidAskPct: bidAskPct(store, s),
    longOpenInterest: c.openInterest[l],
    longVolume: c.volume[l],
    longBidAskPct: bidAskPct(store, l),
  };
  if (buf.kind[n] === KIND_IRON_CONDOR) {
    quote.call = sideQuoteOf(store, buf.callShortRow[n], buf.callLongRow[n]);
  }
  return quote;
}

/** The thresholds of one side as text. */
interface SideRules {
  shortDelta: string;
  width: string;
  openInterest: string;
  volume: string;
  bidAsk: string;
}

/** The thresholds of a parameter set as text. */
interface Rules {
  ivPercentile: string;
  dte: string;
  put: SideRules;
  call: SideRules;
}

const rulesCache = new WeakMap<SimParams, Rules>();

function sideRulesOf(s: SideParams): SideRules {
  return {
    shortDelta: `in [${s.deltaMin}, ${s.deltaMax}]`,
    width: `in [${s.widthMin}, ${s.widthMax}]`,
    openInterest: `>= ${s.minOpenInterest}`,
    volume: `>= ${s.minVolume}`,
    bidAsk: `<= ${s.maxBidAskPct}`,
  };
}

function rulesOf(p: SimParams): Rules {
  let rules = rulesCache.get(p);
  if (!rules) {
    rules = {
      ivPercentile: p.ivPctMin > 0 ? `>= ${p.ivPctMin}` : "off",
      dte: `in [${p.dteMin}, ${p.dteMax}]`,
      put: sideRulesOf(p.put),
      call: sideRulesOf(p.call),
    };
    rulesCache.set(p, rules);
  }
  return rules;
}

/** A number with at most four decimals, as text. */
function num(x: number): string {
  return String(Math.round(x * 1e4) / 1e4);
}

/** The short leg's filters of a side and its width (`tag`: "" or " put", " call"). */
function shortFilters(q: SideQuote, r: SideRules, tag: string): FilterCheck[] {
  const side = tag ? ` (${tag.trim()})` : "";
  return [
    { filter: `short_delta${side}`, value: q.shortAbsDelta, rule: r.shortDelta },
    { filter: `min_open_interest (short${tag})`, value: q.shortOpenInterest, rule: r.openInterest },
    { filter: `min_volume (short${tag})`, value: q.shortVolume, rule: r.volume },
    { filter: `max_bid_ask_pct (short${tag})`, value: q.shortBidAskPct, rule: r.bidAsk },
    { filter: `spread_width${side}`, value: q.width, rule: r.width },
  ];
}

/** The long leg's filters of a side. */
function longFilters(q: SideQuote, r: SideRules, tag: string): FilterCheck[] {
  return [
    { filter: `min_open_interest (long${tag})`, value: q.longOpenInterest, rule: r.openInterest },
    { filter: `min_volume (long${tag})`, value: q.longVolume, rule: r.volume },
    { filter: `max_bid_ask_pct (long${tag})`, value: q.longBidAskPct, rule: r.bidAsk },
  ];
}

/**
 * The rationale of an entry: each filter's value against its threshold, in the scanner's
 * order, and the score's terms. An iron condor's lists each side's leg filters (tagged "put"
 * and "call") and its credit against the wider side's width.
 *
 * @param q what the filters read
 * @param score the score's terms
 * @param p the parameters the scan used
 */
export function entryRationale(q: EntryQuote, score: ScoreTerms, p: SimParams): EntryRationale {
  const r = rulesOf(p);
  const iv = Number.isNaN(q.ivPercentile) ? null : q.ivPercentile;
  const common: FilterCheck[] = [
    { filter: "iv_percentile_min", value: iv, rule: r.ivPercentile },
    { filter: "dte", value: q.dte, rule: r.dte },
  ];
  const credit = (width: number, pct: number): FilterCheck => ({
    filter: "min_credit_pct",
    value: q.credit,
    rule: `>= ${pct} × ${width} = ${num(pct * width)} and < ${width}`,
  });
  if (q.call) {
    const wider = Math.max(q.width, q.call.width);
    return {
      filters: [
        ...common,
        ...shortFilters(q, r.put, " put"),
        ...shortFilters(q.call, r.call, " call"),
        credit(wider, p.put.minCreditPct),
        ...longFilters(q, r.put, " put"),
        ...longFilters(q.call, r.call, " call"),
      ],
      score,
    };
  }
  const isCall = q.kind === "bear_call";
  const side = isCall ? r.call : r.put;
  return {
    filters: [
      ...common,
      ...shortFilters(q, side, ""),
      credit(q.width, isCall ? p.call.minCreditPct : p.put.minCreditPct),
      ...longFilters(q, side, ""),
    ],
    score,
  };
}

/**
 * A rationale as one line: "iv_percentile_min 63.2 >= 50; dte 35 in [30, 45]; ...; score 0.41
 * = expected value 0.1 + IV percentile 0.13 + delta distance 0.08 + credit/width 0.1".
 *
 * @param r the rationale
 * @returns the text
 */
export function rationaleText(r: EntryRationale): string {
  let text = "";
  for (const f of r.filters) {
    text += `${f.filter} ${f.value === null ? "n/a" : num(f.value)} ${f.rule}; `;
  }
  const s = r.score;
  return `${text}score ${num(s.total)} = expected value ${num(s.expected_value)} + IV percentile ${
    num(s.iv_percentile)
  } + delta distance ${num(s.delta_distance)} + credit/width ${num(s.credit_width)}`;
}
