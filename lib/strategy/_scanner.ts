/**
 * The scanner's kernel: the credit spreads of one underlying on one day that pass the entry
 * filters, with their score's four terms.
 *
 * A vertical (bull put or bear call) passes: IV percentile (once per underlying and day), DTE,
 * short-leg |delta|, short-leg liquidity, width, credit as a share of width (after two-leg
 * slippage), long-leg liquidity (open interest, volume, bid-ask as a share of mid). With both
 * sides configured, the put side and the call side are scanned with their own filters and
 * their candidates ranked together.
 *
 * An iron condor is a put side and a call side on the same expiry, each passing its side's
 * DTE, delta, short-liquidity and width filters, priced as one 4-leg order (four-leg slippage),
 * with the short put's strike at or below the short call's, whose total credit is at least
 * `min_credit_pct` of the wider side's width (and below it), and whose long legs are liquid.
 *
 * The filters are a conjunction; this order only saves work. Candidates are found by index
 * ranges in the ChainStore's (expiry, type) groups and written into a reusable struct-of-arrays
 * buffer: nothing is allocated per row. The buffer also counts what passed each filter (the
 * funnel).
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { TYPE_CALL, TYPE_PUT } from "../data/chain_store.ts";
import { yearFraction } from "../data/conventions.ts";
import { probItm } from "../pricing/black_scholes.ts";
import { buyFill, sellFill } from "../pricing/fills.ts";
import { TIE_TOLERANCE } from "../pricing/ties.ts";
import { sideExpectedLoss } from "./expected_value.ts";
import { spansExDividend } from "./ex_dividend.ts";
import { FUNNEL_SIZE, Stage } from "./funnel.ts";
import { type SideParams, type SimParams, slippageOf } from "./params.ts";
import type { DayFilters } from "./rule_filters.ts";
import type { SpreadType } from "./spread.ts";

/** A candidate's spread type as the buffer stores it. */
export const KIND_BULL_PUT = 0;
/** See {@link KIND_BULL_PUT}. */
export const KIND_BEAR_CALL = 1;
/** See {@link KIND_BULL_PUT}. */
export const KIND_IRON_CONDOR = 2;
/** The spread type of each kind code. */
export const SPREAD_TYPE_OF: readonly SpreadType[] = ["bull_put", "bear_call", "iron_condor"];

/** Grows a typed array to twice its length, keeping its values. */
function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T): T {
  const b = new (a.constructor as { new (n: number): T })(a.length * 2);
  b.set(a as never);
  return b;
}

/** Reusable candidate buffer (struct of arrays). */
export class CandidateBuffer {
  /** Number of candidates held. */
  count = 0;
  /** Spread type code ({@link KIND_BULL_PUT}, {@link KIND_BEAR_CALL}, {@link KIND_IRON_CONDOR}). */
  kind: Uint8Array;
  /** Row of the short leg (an iron condor's short put). */
  shortRow: Int32Array;
  /** Row of the long leg (an iron condor's long put). */
  longRow: Int32Array;
  /** An iron condor's short call row (-1 for a vertical). */
  callShortRow: Int32Array;
  /** An iron condor's long call row (-1 for a vertical). */
  callLongRow: Int32Array;
  /** Credit after slippage, dollars per share (an iron condor's total). */
  credit: Float64Array;
  /** Width - credit, dollars per share (an iron condor's: the wider side's width). */
  maxLoss: Float64Array;
  /**
   * Risk-neutral probability that the short strike finishes in the money (an iron condor's:
   * that either short strike does).
   */
  pItm: Float64Array;
  /** Expected value per share (see expected_value.ts). */
  expectedValue: Float64Array;
  /** Score term: weight × EV / max loss. */
  termExpectedValue: Float64Array;
  /** Score term: weight × IV percentile / 100. */
  termIvPercentile: Float64Array;
  /**
   * Score term: weight × distance of |delta| below the band's top, over the band's width (an
   * iron condor's: the mean of its two short legs').
   */
  termDeltaDistance: Float64Array;
  /** Score term: weight × credit / width (an iron condor's: over the wider width). */
  termCreditWidth: Float64Array;
  /** Weighted score, the sum of the four terms (higher is better). */
  score: Float64Array;
  /** Scratch flags of the selection when a score is NaN (1 = already considered). */
  taken: Uint8Array;
  /** Scratch of the selection: a binary heap of candidate indexes, best on top. */
  heap: Int32Array;
  /** Candidates left in the heap, or -1 when the selection scans linearly (a NaN score). */
  heapSize = 0;
  /** What passed each filter since the last reset, indexed by {@link Stage}. */
  readonly funnel: Float64Array = new Float64Array(FUNNEL_SIZE);
  /** Scratch of the iron-condor scan: the sides of one expiry. */
  readonly sides: SideBuffer = new SideBuffer();

  /** A buffer with room for `capacity` candidates (it grows when needed). */
  constructor(capacity = 1024) {
    this.kind = new Uint8Array(capacity);
    this.shortRow = new Int32Array(capacity);
    this.longRow = new Int32Array(capacity);
    this.callShortRow = new Int32Array(capacity);
    this.callLongRow = new Int32Array(capacity);
    this.credit = new Float64Array(capacity);
    this.maxLoss = new Float64Array(capacity);
    this.pItm = new Float64Array(capacity);
    this.expectedValue = new Float64Array(capacity);
    this.termExpectedValue = new Float64Array(capacity);
    this.termIvPercentile = new Float64Array(capacity);
    this.termDeltaDistance = new Float64Array(capacity);
    this.termCreditWidth = new Float64Array(capacity);
    this.score = new Float64Array(capacity);
    this.taken = new Uint8Array(capacity);
    this.heap = new Int32Array(capacity);
  }

  /** Makes room for one more candidate. */
  ensure(): void {
    if (this.count < this.shortRow.length) return;
    this.kind = grow(this.kind);
    this.shortRow = grow(this.shortRow);
    this.longRow = grow(this.longRow);
    this.callShortRow = grow(this.callShortRow);
    this.callLongRow = grow(this.callLongRow);
    this.credit = grow(this.credit);
    this.maxLoss = grow(this.maxLoss);
    this.pItm = grow(this.pItm);
    this.expectedValue = grow(this.expectedValue);
    this.termExpectedValue = grow(this.termExpectedValue);
    this.termIvPercentile = grow(this.termIvPercentile);
    this.termDeltaDistance = grow(this.termDeltaDistance);
    this.termCreditWidth = grow(this.termCreditWidth);
    this.score = grow(this.score);
    this.taken = new Uint8Array(this.shortRow.length);
    this.heap = new Int32Array(this.shortRow.length);
  }

  /**
   * The rows of candidate n's legs, in the order of its spread type's legs (LEGS_OF): short,
   * long; an iron condor's short put, long put, short call, long call.
   *
   * @param n candidate index
   * @param into an array to fill (its length set to the leg count)
   */
  legRows(n: number, into: number[] = []): number[] {
    const condor = this.kind[n] === KIND_IRON_CONDOR;
    into.length = condor ? 4 : 2;
    into[0] = this.shortRow[n];
    into[1] = this.longRow[n];
    if (condor) {
      into[2] = this.callShortRow[n];
      into[3] = this.callLongRow[n];
    }
    return into;
  }
}

/**
 * The verticals of one side of one expiry that an iron condor may use (struct of arrays): each
 * passed its side's delta, short-liquidity and width filters.
 */
export class SideBuffer {
  /** Side verticals held: the put side's first, then the call side's from `callStart`. */
  count = 0;
  /** Index of the first call-side entry. */
  callStart = 0;
  /** Row of each side vertical's short leg. */
  shortRow: Int32Array;
  /** Row of each side vertical's long leg. */
  longRow: Int32Array;
  /** Width, dollars. */
  width: Float64Array;
  /** The side's credit at the order's (four-leg) slippage, dollars per share. */
  credit: Float64Array;
  /** Whether the long leg passes the liquidity filter (1) or not (0). */
  longLiquid: Uint8Array;
  /** (band top - |delta|) / band width of the short leg (0 for a band of no width). */
  deltaDistance: Float64Array;
  /** The side's expected loss at expiry (sideExpectedLoss), NaN until computed. */
  expectedLoss: Float64Array;
  /** P(ITM) of the short strike, NaN until computed. */
  pItm: Float64Array;
  /** Whether expectedLoss and pItm are computed (1). */
  known: Uint8Array;

  /** Room for `capacity` side verticals (it grows when needed). */
  constructor(capacity = 256) {
    this.shortRow = new Int32Array(capacity);
    this.longRow = new Int32Array(capacity);
    this.width = new Float64Array(capacity);
    this.credit = new Float64Array(capacity);
    this.longLiquid = new Uint8Array(capacity);
    this.deltaDistance = new Float64Array(capacity);
    this.expectedLoss = new Float64Array(capacity);
    this.pItm = new Float64Array(capacity);
    this.known = new Uint8Array(capacity);
  }

  /** Makes room for one more side vertical. */
  ensure(): void {
    if (this.count < this.shortRow.length) return;
    this.shortRow = grow(this.shortRow);
    this.longRow = grow(this.longRow);
    this.width = grow(this.width);
    this.credit = grow(this.credit);
    this.longLiquid = grow(this.longLiquid);
    this.deltaDistance = grow(this.deltaDistance);
    this.expectedLoss = grow(this.expectedLoss);
    this.pItm = grow(this.pItm);
    this.known = grow(this.known);
  }
}

/**
 * Whether a leg passes a side's liquidity filter: open interest, volume, and bid-ask at most
 * max_bid_ask_pct of mid (inclusive as on paper: see pricing/ties.ts).
 */
export function isLiquid(store: ChainStore, i: number, s: SideParams): boolean {
  const c = store.columns;
  const mid = 0.5 * (c.bid[i] + c.ask[i]);
  return c.openInterest[i] >= s.minOpenInterest && c.volume[i] >= s.minVolume &&
    c.ask[i] - c.bid[i] <= s.maxBidAskPct * mid + TIE_TOLERANCE;
}

/**
 * Appends to `out` the candidates of underlying `t` on calendar day `d`, and counts what
 * passed each filter into `out.funnel`.
 *
 * @param store the chain
 * @param t ticker index
 * @param d calendar index
 * @param ivPct today's IV percentile of the underlying (NaN = not enough history)
 * @param p parameters
 * @param out buffer to append to
 * @param rules the risk rules' day filters, when any is on (rule_filters.ts)
 */
export function scanDay(
  store: ChainStore,
  t: number,
  d: number,
  ivPct: number,
  p: SimParams,
  out: CandidateBuffer,
  rules: DayFilters | null = null,
): void {
  const g = store.data;
  const k = t * store.nDays + d;
  if (g.snapshotGroupEnd[k] <= g.snapshotGroupStart[k]) return; // no snapshot that day
  const funnel = out.funnel;
  funnel[Stage.Scans]++;
  if (p.ivPctMin > 0 && !(ivPct >= p.ivPctMin)) return; // checked once per underlying and day
  funnel[Stage.IvPercentile]++;
  if (rules && !rules.pass(t, d, funnel)) return;
  const ivScore = p.wIvPercentile * (Number.isNaN(ivPct) ? 0 : ivPct / 100);
  if (p.strategy === "iron_condor") {
    scanCondors(store, k, store.calendar[d], ivScore, p, out);
    return;
  }
  const day = store.calendar[d];
  if (p.strategy !== "bear_call") scanVerticals(store, k, day, ivScore, p, p.put, out);
  if (p.strategy !== "bull_put") scanVerticals(store, k, day, ivScore, p, p.call, out);
}

/** The verticals of one side of snapshot k (see {@link scanDay}). */
function scanVerticals(
  store: ChainStore,
  k: number,
  day: number,
  ivScore: number,
  p: SimParams,
  side: SideParams,
  out: CandidateBuffer,
): void {
  const g = store.data;
  const c = store.columns;
  const funnel = out.funnel;
  // Stage counts of this call, added to the funnel at the end.
  let dteCount = 0, deltaCount = 0, shortLiquid = 0, widthCount = 0, creditCount = 0;
  let longLiquid = 0;
  const isPut = side.isPut;
  const wantType = isPut ? TYPE_PUT : TYPE_CALL;
  const legType = isPut ? "put" : "call";
  const kind = isPut ? KIND_BULL_PUT : KIND_BEAR_CALL;
  const slippage = slippageOf(p, 2);
  const bandWidth = side.deltaMax - side.deltaMin;
  // Inclusive bounds that hold on paper (pricing/ties.ts: atLeast, atMost), with the tolerance
  // folded in here: in this loop the comparisons run millions of times a backtest.
  const widthLow = side.widthMin - TIE_TOLERANCE;
  const widthHigh = side.widthMax + TIE_TOLERANCE;
  for (let q = g.snapshotGroupStart[k]; q < g.snapshotGroupEnd[k]; q++) {
    if (g.groupType[q] !== wantType) continue;
    const dte = g.groupExpiry[q] - day;
    if (dte < p.dteMin || dte > p.dteMax) continue;
    dteCount++;
    if (!isPut && spansExDividend(store, k, day, g.groupExpiry[q], p.avoidExDividendDays)) {
      funnel[Stage.ExDividend]++;
      continue;
    }
    const start = g.groupStart[q];
    const end = g.groupEnd[q];
    const years = yearFraction(dte);
    for (let i = start; i < end; i++) {
      if (c.flags[i] !== 0) continue;
      const absDelta = Math.abs(c.delta[i]);
      if (absDelta < side.deltaMin || absDelta > side.deltaMax) continue;
      deltaCount++;
      if (!isLiquid(store, i, side)) continue;
      shortLiquid++;
      const shortSell = sellFill(c.bid[i], c.ask[i], slippage);
      // P(ITM) of the short strike at its IV: N(-d2) for puts, N(d2) for calls; computed once
      // per short leg, and only for one that makes a candidate.
      let pItm = 0;
      let pItmKnown = false;
      const deltaScore = p.wDeltaDistance *
        (bandWidth > 0 ? (side.deltaMax - absDelta) / bandWidth : 0);
      // Long leg: further out of the money (lower strikes for puts, higher for calls).
      const step = isPut ? -1 : 1;
      for (let j = i + step; j >= start && j < end; j += step) {
        const width = Math.abs(c.strike[i] - c.strike[j]);
        if (width < widthLow) continue;
        if (width > widthHigh) break;
        if (c.flags[j] !== 0) continue;
        widthCount++;
        const credit = shortSell - buyFill(c.bid[j], c.ask[j], slippage);
        // min_credit_pct × width <= credit < width (a NaN credit fails)
        if (
          !(credit >= side.minCreditPct * width - TIE_TOLERANCE) ||
          credit >= width - TIE_TOLERANCE
        ) {
          continue;
        }
        creditCount++;
        if (!isLiquid(store, j, side)) continue;
        longLiquid++;
        if (!pItmKnown) {
          pItm = probItm(legType, c.stockPrice[i], c.strike[i], years, p.riskFreeRate, c.iv[i]);
          pItmKnown = true;
        }
        const maxLoss = width - credit;
        const ev = credit * (1 - pItm) - maxLoss * pItm;
        const evScore = p.wExpectedValue * (ev / maxLoss);
        const cwScore = p.wCreditWidth * (credit / width);
        out.ensure();
        const n = out.count++;
        out.kind[n] = kind;
        out.shortRow[n] = i;
        out.longRow[n] = j;
        out.callShortRow[n] = -1;
        out.callLongRow[n] = -1;
        out.credit[n] = credit;
        out.maxLoss[n] = maxLoss;
        out.pItm[n] = pItm;
        out.expectedValue[n] = ev;
        out.termExpectedValue[n] = evScore;
        out.termIvPercentile[n] = ivScore;
        out.termDeltaDistance[n] = deltaScore;
        out.termCreditWidth[n] = cwScore;
        out.score[n] = evScore + ivScore + deltaScore + cwScore;
      }
    }
  }
  funnel[Stage.Dte] += dteCount;
  funnel[Stage.ShortDelta] += deltaCount;
  funnel[Stage.ShortLiquidity] += shortLiquid;
  funnel[Stage.Width] += widthCount;
  funnel[Stage.MinCredit] += creditCount;
  funnel[Stage.LongLiquidity] += longLiquid;
}

/**
 * Appends to `sides` the side verticals of group q that pass the side's delta, short-liquidity
 * and width filters, priced at `slippage`; returns how many short legs passed the delta band
 * and the liquidity filter, and how many verticals the width band (for the funnel).
 */
function collectSides(
  store: ChainStore,
  q: number,
  side: SideParams,
  slippage: number,
  sides: SideBuffer,
  counts: Float64Array,
): void {
  const g = store.data;
  const c = store.columns;
  const start = g.groupStart[q];
  const end = g.groupEnd[q];
  const bandWidth = side.deltaMax - side.deltaMin;
  const widthLow = side.widthMin - TIE_TOLERANCE;
  const widthHigh = side.widthMax + TIE_TOLERANCE;
  const step = side.isPut ? -1 : 1;
  for (let i = start; i < end; i++) {
    if (c.flags[i] !== 0) continue;
    const absDelta = Math.abs(c.delta[i]);
    if (absDelta < side.deltaMin || absDelta > side.deltaMax) continue;
    counts[Stage.ShortDelta]++;
    if (!isLiquid(store, i, side)) continue;
    counts[Stage.ShortLiquidity]++;
    const shortSell = sellFill(c.bid[i], c.ask[i], slippage);
    const distance = bandWidth > 0 ? (side.deltaMax - absDelta) / bandWidth : 0;
    for (let j = i + step; j >= start && j < end; j += step) {
      const width = Math.abs(c.strike[i] - c.strike[j]);
      if (width < widthLow) continue;
      if (width > widthHigh) break;
      if (c.flags[j] !== 0) continue;
      counts[Stage.Width]++;
      sides.ensure();
      const n = sides.count++;
      sides.shortRow[n] = i;
      sides.longRow[n] = j;
      sides.width[n] = width;
      sides.credit[n] = shortSell - buyFill(c.bid[j], c.ask[j], slippage);
      sides.longLiquid[n] = isLiquid(store, j, side) ? 1 : 0;
      sides.deltaDistance[n] = distance;
      sides.known[n] = 0;
    }
  }
}

/** Computes side vertical n's expected loss and its short strike's P(ITM), once. */
function sideOdds(
  store: ChainStore,
  sides: SideBuffer,
  n: number,
  isPut: boolean,
  years: number,
  rate: number,
): void {
  if (sides.known[n]) return;
  const c = store.columns;
  const i = sides.shortRow[n];
  const spot = c.stockPrice[i];
  sides.pItm[n] = probItm(isPut ? "put" : "call", spot, c.strike[i], years, rate, c.iv[i]);
  sides.expectedLoss[n] = sideExpectedLoss(
    isPut,
    spot,
    c.strike[i],
    c.strike[sides.longRow[n]],
    years,
    rate,
    c.iv[i],
  );
  sides.known[n] = 1;
}

/** The iron condors of snapshot k (see {@link scanDay}). */
function scanCondors(
  store: ChainStore,
  k: number,
  day: number,
  ivScore: number,
  p: SimParams,
  out: CandidateBuffer,
): void {
  const g = store.data;
  const c = store.columns;
  const funnel = out.funnel;
  const sides = out.sides;
  const slippage = slippageOf(p, 4);
  const minCreditPct = p.put.minCreditPct;
  const halfDeltaWeight = 0.5 * p.wDeltaDistance;
  for (let q = g.snapshotGroupStart[k]; q < g.snapshotGroupEnd[k]; q++) {
    // Groups are sorted by (expiry, type): an expiry's call group comes just before its puts.
    if (g.groupType[q] !== TYPE_PUT) continue;
    const dte = g.groupExpiry[q] - day;
    if (dte < p.dteMin || dte > p.dteMax) continue;
    funnel[Stage.Dte]++;
    const qc = q - 1;
    if (
      qc < g.snapshotGroupStart[k] || g.groupType[qc] !== TYPE_CALL ||
      g.groupExpiry[qc] !== g.groupExpiry[q]
    ) {
      continue;
    }
    if (spansExDividend(store, k, day, g.groupExpiry[q], p.avoidExDividendDays)) {
      funnel[Stage.ExDividend]++;
      continue;
    }
    sides.count = 0;
    collectSides(store, q, p.put, slippage, sides, funnel);
    sides.callStart = sides.count;
    collectSides(store, qc, p.call, slippage, sides, funnel);
    const years = yearFraction(dte);
    for (let a = 0; a < sides.callStart; a++) {
      const putShortStrike = c.strike[sides.shortRow[a]];
      for (let b = sides.callStart; b < sides.count; b++) {
        if (putShortStrike > c.strike[sides.shortRow[b]]) continue; // short put above the call
        const credit = sides.credit[a] + sides.credit[b];
        const width = Math.max(sides.width[a], sides.width[b]);
        // min_credit_pct × wider width <= total credit < wider width (a NaN credit fails)
        if (
          !(credit >= minCreditPct * width - TIE_TOLERANCE) || credit >= width - TIE_TOLERANCE
        ) {
          continue;
        }
        funnel[Stage.MinCredit]++;
        if (!sides.longLiquid[a] || !sides.longLiquid[b]) continue;
        funnel[Stage.LongLiquidity]++;
        sideOdds(store, sides, a, true, years, p.riskFreeRate);
        sideOdds(store, sides, b, false, years, p.riskFreeRate);
        const maxLoss = width - credit;
        const ev = credit - sides.expectedLoss[a] - sides.expectedLoss[b];
        const evScore = p.wExpectedValue * (ev / maxLoss);
        const deltaScore = halfDeltaWeight * (sides.deltaDistance[a] + sides.deltaDistance[b]);
        const cwScore = p.wCreditWidth * (credit / width);
        out.ensure();
        const n = out.count++;
        out.kind[n] = KIND_IRON_CONDOR;
        out.shortRow[n] = sides.shortRow[a];
        out.longRow[n] = sides.longRow[a];
        out.callShortRow[n] = sides.shortRow[b];
        out.callLongRow[n] = sides.longRow[b];
        out.credit[n] = credit;
        out.maxLoss[n] = maxLoss;
        out.pItm[n] = sides.pItm[a] + sides.pItm[b];
        out.expectedValue[n] = ev;
        out.termExpectedValue[n] = evScore;
        out.termIvPercentile[n] = ivScore;
        out.termDeltaDistance[n] = deltaScore;
        out.termCreditWidth[n] = cwScore;
        out.score[n] = evScore + ivScore + deltaScore + cwScore;
      }
    }
  }
}

/**
 * Whether candidate a ranks before candidate b: higher score first, ties broken by
 * (underlying, expiry, spread type, short strike, long strike, an iron condor's call strikes)
 * so results are deterministic.
 */
export function ranksBefore(
  store: ChainStore,
  buf: CandidateBuffer,
  a: number,
  b: number,
): boolean {
  if (buf.score[a] !== buf.score[b]) return buf.score[a] > buf.score[b];
  const c = store.columns;
  const ra = buf.shortRow[a], rb = buf.shortRow[b];
  if (c.underlying[ra] !== c.underlying[rb]) return c.underlying[ra] < c.underlying[rb];
  if (c.expiry[ra] !== c.expiry[rb]) return c.expiry[ra] < c.expiry[rb];
  if (buf.kind[a] !== buf.kind[b]) return buf.kind[a] < buf.kind[b];
  if (c.strike[ra] !== c.strike[rb]) return c.strike[ra] < c.strike[rb];
  const la = c.strike[buf.longRow[a]], lb = c.strike[buf.longRow[b]];
  if (la !== lb || buf.kind[a] !== KIND_IRON_CONDOR) return la < lb;
  const sa = c.strike[buf.callShortRow[a]], sb = c.strike[buf.callShortRow[b]];
  if (sa !== sb) return sa < sb;
  return c.strike[buf.callLongRow[a]] < c.strike[buf.callLongRow[b]];
}

/**
 * Starts the day's selection of the candidates in `buf`, best first (see {@link nextBest}).
 *
 * Without a NaN score {@link ranksBefore} is a strict total order (two candidates always differ
 * in their rows), so the candidates come out of a binary heap in exactly the order in which
 * repeatedly picking the best of those left would give them: O(n) to start and O(log n) a
 * pick, where the engine may pass over many candidates that its heat or risk budget cannot
 * size (thousands of iron condors a day). A NaN score compares neither before nor after
 * anything, so then the picks are made as on paper: a pass over those left, keeping the first
 * best found.
 */
export function startSelection(store: ChainStore, buf: CandidateBuffer): void {
  const n = buf.count;
  let nan = false;
  for (let i = 0; i < n; i++) {
    if (buf.score[i] !== buf.score[i]) {
      nan = true;
      break;
    }
  }
  if (nan) {
    buf.taken.fill(0, 0, n);
    buf.heapSize = -1;
    return;
  }
  const heap = buf.heap;
  for (let i = 0; i < n; i++) heap[i] = i;
  buf.heapSize = n;
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(store, buf, i);
}

/**
 * The best candidate not yet selected since {@link startSelection}, now selected; -1 when none
 * is left.
 */
export function nextBest(store: ChainStore, buf: CandidateBuffer): number {
  if (buf.heapSize < 0) {
    const taken = buf.taken;
    let best = -1;
    for (let n = 0; n < buf.count; n++) {
      if (!taken[n] && (best < 0 || ranksBefore(store, buf, n, best))) best = n;
    }
    if (best >= 0) taken[best] = 1;
    return best;
  }
  if (buf.heapSize === 0) return -1;
  const heap = buf.heap;
  const best = heap[0];
  heap[0] = heap[--buf.heapSize];
  siftDown(store, buf, 0);
  return best;
}

/** Moves heap entry i down until neither child ranks before it. */
function siftDown(store: ChainStore, buf: CandidateBuffer, i: number): void {
  const heap = buf.heap;
  const size = buf.heapSize;
  const item = heap[i];
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && ranksBefore(store, buf, heap[child + 1], heap[child])) child++;
    if (!ranksBefore(store, buf, heap[child], item)) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = item;
}
