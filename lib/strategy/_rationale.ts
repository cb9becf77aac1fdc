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
import type { CandidateBuffer } from "./_scanner.ts";
import type { SimParams } from "./params.ts";
import type { EntryRationale, ScoreTerms } from "./spread.ts";

/** What the entry filters read of a candidate. */
export interface EntryQuote {
  /** IV percentile of the underlying that day (NaN while the history is short). */
  ivPercentile: number;
  /** Calendar days to expiry. */
  dte: number;
  /** |delta| of the short leg. */
  shortAbsDelta: number;
  /** |short strike - long strike|, dollars. */
  width: number;
  /** Credit after slippage, dollars per share. */
  credit: number;
  shortOpenInterest: number;
  shortVolume: number;
  /** (ask - bid) / mid of the short leg. */
  shortBidAskPct: number;
  longOpenInterest: number;
  longVolume: number;
  /** (ask - bid) / mid of the long leg. */
  longBidAskPct: number;
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
  const bidAsk = (i: number) => (c.ask[i] - c.bid[i]) / (0.5 * (c.bid[i] + c.ask[i]));
  return {
    ivPercentile: ivPct,
    dte: c.expiry[s] - c.day[s],
    shortAbsDelta: Math.abs(c.delta[s]),
    width: Math.abs(c.strike[s] - c.strike[l]),
    credit: buf.credit[n],
    shortOpenInterest: c.openInterest[s],
    shortVolume: c.volume[s],
    shortBidAskPct: bidAsk(s),
    longOpenInterest: c.openInterest[l],
    longVolume: c.volume[l],
    longBidAskPct: bidAsk(l),
  };
}

/** The thresholds of a parameter set as text. */
interface Rules {
  ivPercentile: string;
  dte: string;
  shortDelta: string;
  width: string;
  openInterest: string;
  volume: string;
  bidAsk: string;
}

const rulesCache = new WeakMap<SimParams, Rules>();

function rulesOf(p: SimParams): Rules {
  let rules = rulesCache.get(p);
  if (!rules) {
    rules = {
      ivPercentile: p.ivPctMin > 0 ? `>= ${p.ivPctMin}` : "off",
      dte: `in [${p.dteMin}, ${p.dteMax}]`,
      shortDelta: `in [${p.deltaMin}, ${p.deltaMax}]`,
      width: `in [${p.widthMin}, ${p.widthMax}]`,
      openInterest: `>= ${p.minOpenInterest}`,
      volume: `>= ${p.minVolume}`,
      bidAsk: `<= ${p.maxBidAskPct}`,
    };
    rulesCache.set(p, rules);
  }
  return rules;
}

/** A number with at most four decimals, as text. */
function num(x: number): string {
  return String(Math.round(x * 1e4) / 1e4);
}

/**
 * The rationale of an entry: each filter's value against its threshold, in the scanner's
 * order, and the score's terms.
 *
 * @param q what the filters read
 * @param score the score's terms
 * @param p the parameters the scan used
 */
export function entryRationale(q: EntryQuote, score: ScoreTerms, p: SimParams): EntryRationale {
  const r = rulesOf(p);
  const iv = Number.isNaN(q.ivPercentile) ? null : q.ivPercentile;
  return {
    filters: [
      { filter: "iv_percentile_min", value: iv, rule: r.ivPercentile },
      { filter: "dte", value: q.dte, rule: r.dte },
      { filter: "short_delta", value: q.shortAbsDelta, rule: r.shortDelta },
      { filter: "min_open_interest (short)", value: q.shortOpenInterest, rule: r.openInterest },
      { filter: "min_volume (short)", value: q.shortVolume, rule: r.volume },
      { filter: "max_bid_ask_pct (short)", value: q.shortBidAskPct, rule: r.bidAsk },
      { filter: "spread_width", value: q.width, rule: r.width },
      {
        filter: "min_credit_pct",
        value: q.credit,
        rule: `>= ${p.minCreditPct} × ${q.width} = ${
          num(p.minCreditPct * q.width)
        } and < ${q.width}`,
      },
      { filter: "min_open_interest (long)", value: q.longOpenInterest, rule: r.openInterest },
      { filter: "min_volume (long)", value: q.longVolume, rule: r.volume },
      { filter: "max_bid_ask_pct (long)", value: q.longBidAskPct, rule: r.bidAsk },
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
