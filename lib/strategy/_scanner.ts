/**
 * The scanner's kernel: vertical credit spreads of one underlying on one day that pass the
 * entry filters — IV percentile (once per underlying and day), DTE, short-leg |delta|, short-leg
 * liquidity, width, credit as a share of width (after slippage), long-leg liquidity (open
 * interest, volume, bid-ask as a share of mid) — with their score's four terms. The filters are
 * a conjunction; this order only saves work. Candidates are found by index ranges in the
 * ChainStore's (expiry, type) groups and written into a reusable struct-of-arrays buffer:
 * nothing is allocated per row. The buffer also counts what passed each filter (the funnel).
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { TYPE_CALL, TYPE_PUT } from "../data/chain_store.ts";
import { probItm } from "../pricing/black_scholes.ts";
import { buyFill, sellFill } from "../pricing/fills.ts";
import { TIE_TOLERANCE } from "../pricing/ties.ts";
import { FUNNEL_SIZE, Stage } from "./funnel.ts";
import type { SimParams } from "./params.ts";

/** Reusable candidate buffer (struct of arrays). */
export class CandidateBuffer {
  /** Number of candidates held. */
  count = 0;
  /** Row of the short leg. */
  shortRow: Int32Array;
  /** Row of the long leg. */
  longRow: Int32Array;
  /** Credit after slippage, dollars per share. */
  credit: Float64Array;
  /** Width - credit, dollars per share. */
  maxLoss: Float64Array;
  /** Risk-neutral probability that the short leg finishes in the money. */
  pItm: Float64Array;
  /** Expected value per share: credit·P(OTM) - maxLoss·P(ITM). */
  expectedValue: Float64Array;
  /** Score term: weight × EV / max loss. */
  termExpectedValue: Float64Array;
  /** Score term: weight × IV percentile / 100. */
  termIvPercentile: Float64Array;
  /** Score term: weight × distance of |delta| below the band's top, over the band's width. */
  termDeltaDistance: Float64Array;
  /** Score term: weight × credit / width. */
  termCreditWidth: Float64Array;
  /** Weighted score, the sum of the four terms (higher is better). */
  score: Float64Array;
  /** Scratch flags for the engine's selection loop (1 = already considered). */
  taken: Uint8Array;
  /** What passed each filter since the last reset, indexed by {@link Stage}. */
  readonly funnel: Float64Array = new Float64Array(FUNNEL_SIZE);

  /** A buffer with room for `capacity` candidates (it grows when needed). */
  constructor(capacity = 1024) {
    this.shortRow = new Int32Array(capacity);
    this.longRow = new Int32Array(capacity);
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
  }

  /** Makes room for one more candidate. */
  ensure(): void {
    if (this.count < this.shortRow.length) return;
    const grow = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(a.length * 2);
      b.set(a as never);
      return b;
    };
    this.shortRow = grow(this.shortRow);
    this.longRow = grow(this.longRow);
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
  }
}

/**
 * Whether a leg passes the liquidity filter: open interest, volume, and bid-ask at most
 * max_bid_ask_pct of mid (inclusive as on paper: see pricing/ties.ts).
 */
export function isLiquid(store: ChainStore, i: number, p: SimParams): boolean {
  const c = store.columns;
  const mid = 0.5 * (c.bid[i] + c.ask[i]);
  return c.openInterest[i] >= p.minOpenInterest && c.volume[i] >= p.minVolume &&
    c.ask[i] - c.bid[i] <= p.maxBidAskPct * mid + TIE_TOLERANCE;
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
 */
export function scanDay(
  store: ChainStore,
  t: number,
  d: number,
  ivPct: number,
  p: SimParams,
  out: CandidateBuffer,
): void {
  const g = store.data;
  const c = store.columns;
  const k = t * store.nDays + d;
  if (g.snapshotGroupEnd[k] <= g.snapshotGroupStart[k]) return; // no snapshot that day
  const funnel = out.funnel;
  funnel[Stage.Scans]++;
  if (p.ivPctMin > 0 && !(ivPct >= p.ivPctMin)) return; // checked once per underlying and day
  funnel[Stage.IvPercentile]++;
  // Stage counts of this call, added to the funnel at the end.
  let dteCount = 0, deltaCount = 0, shortLiquid = 0, widthCount = 0, creditCount = 0;
  let longLiquid = 0;
  const day = store.calendar[d];
  const wantType = p.putSide ? TYPE_PUT : TYPE_CALL;
  const legType = p.putSide ? "put" : "call";
  const bandWidth = p.deltaMax - p.deltaMin;
  // Inclusive bounds that hold on paper (pricing/ties.ts: atLeast, atMost), with the tolerance
  // folded in here: in this loop the comparisons run millions of times a backtest.
  const widthLow = p.widthMin - TIE_TOLERANCE;
  const widthHigh = p.widthMax + TIE_TOLERANCE;
  const ivScore = p.wIvPercentile * (Number.isNaN(ivPct) ? 0 : ivPct / 100);
  for (let q = g.snapshotGroupStart[k]; q < g.snapshotGroupEnd[k]; q++) {
    if (g.groupType[q] !== wantType) continue;
    const dte = g.groupExpiry[q] - day;
    if (dte < p.dteMin || dte > p.dteMax) continue;
    dteCount++;
    const start = g.groupStart[q];
    const end = g.groupEnd[q];
    const years = dte / 365;
    for (let i = start; i < end; i++) {
      if (c.flags[i] !== 0) continue;
      const absDelta = Math.abs(c.delta[i]);
      if (absDelta < p.deltaMin || absDelta > p.deltaMax) continue;
      deltaCount++;
      if (!isLiquid(store, i, p)) continue;
      shortLiquid++;
      const shortSell = sellFill(c.bid[i], c.ask[i], p.slippage2);
      // P(ITM) of the short strike at its IV: N(-d2) for puts, N(d2) for calls; computed once
      // per short leg, and only for one that makes a candidate.
      let pItm = 0;
      let pItmKnown = false;
      const deltaScore = p.wDeltaDistance *
        (bandWidth > 0 ? (p.deltaMax - absDelta) / bandWidth : 0);
      // Long leg: further out of the money (lower strikes for puts, higher for calls).
      const step = p.putSide ? -1 : 1;
      for (let j = i + step; j >= start && j < end; j += step) {
        const width = Math.abs(c.strike[i] - c.strike[j]);
        if (width < widthLow) continue;
        if (width > widthHigh) break;
        if (c.flags[j] !== 0) continue;
        widthCount++;
        const credit = shortSell - buyFill(c.bid[j], c.ask[j], p.slippage2);
        // min_credit_pct × width <= credit < width (a NaN credit fails)
        if (
          !(credit >= p.minCreditPct * width - TIE_TOLERANCE) || credit >= width - TIE_TOLERANCE
        ) {
          continue;
        }
        creditCount++;
        if (!isLiquid(store, j, p)) continue;
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
        out.shortRow[n] = i;
        out.longRow[n] = j;
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
 * Whether candidate a ranks before candidate b: higher score first, ties broken by
 * (underlying, expiry, short strike, long strike) so results are deterministic.
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
  if (c.strike[ra] !== c.strike[rb]) return c.strike[ra] < c.strike[rb];
  return c.strike[buf.longRow[a]] < c.strike[buf.longRow[b]];
}
