/**
 * Cash dividends of the underlyings: `dividends.csv` in a data folder (`ticker, ex_date,
 * amount`, dollars per share), or ORATS' dividend-history export (`ticker, exDate, divAmt`),
 * or any other names through `[data.columns]` (`ex_date = "..."`, `amount = "..."`).
 *
 * The engine reads them as two series per (ticker, calendar day): the first ex-date after the
 * day and the dividend paid on it ({@link dividendSeries}); the loader reads the schedule
 * itself for the escrowed-dividend spot of the greeks it computes (pricing/dividends.ts).
 *
 * @module
 */
import pl from "nodejs-polars";
import { castColumns, requireColumns } from "./_cast.ts";
import { readSmallTable } from "./_small_table.ts";
import { isNyseSession } from "./calendar.ts";
import { yearFraction } from "./conventions.ts";
import { dayToIso } from "./dates.ts";
import { DataError } from "./errors.ts";
import type { ColumnMap } from "./layouts.ts";

/** The file name of the dividends in a data folder. */
export const DIVIDENDS_FILE = "dividends.csv";

/** The columns of a dividends table, as loaded. */
export const DIVIDEND_COLUMNS = ["ticker", "ex_date", "amount"] as const;

/**
 * Other names of the dividend columns that load as they are (lower case): ORATS' dividend
 * history (`exDate`, `divAmt`) and common vendors' (`ex_dividend_date`, `symbol`).
 */
const DIVIDEND_ALIASES: Record<(typeof DIVIDEND_COLUMNS)[number], readonly string[]> = {
  ticker: ["symbol", "underlying", "underlying_symbol"],
  ex_date: ["exdate", "ex_dividend_date", "exdividenddate", "ex_div_date"],
  amount: ["divamt", "div_amt", "dividend", "cash_amount", "value"],
};

/** No ex-date ahead (the sentinel of {@link DividendSeries.exDividendDay}). */
export const NO_EX_DATE = 2147483647;

/** One underlying's dividends: ex-dates ascending (one entry per ex-date) and amounts. */
export interface DividendSchedule {
  /** Ex-dates, day numbers, ascending and distinct. */
  exDays: Int32Array;
  /** Dollars per share paid on each ex-date (several rows of one ex-date summed). */
  amounts: Float64Array;
}

/** Dividend schedules by ticker. */
export type Dividends = ReadonlyMap<string, DividendSchedule>;

/**
 * Loads a dividends table: `ticker, ex_date, amount` (ISO or MM/DD/YYYY dates; dollars per
 * share), ORATS' `ticker, exDate, divAmt`, or names given in `[data.columns]`. Extra columns
 * are ignored. Rows of one (ticker, ex_date) are summed (a special dividend beside a regular
 * one). A header without rows is a period without dividends.
 *
 * @param file path of the CSV (or .csv.gz, .parquet)
 * @param columnMap `[data.columns]`: `ex_date`, `amount` or `ticker` -> the file's column
 * @returns the table (ticker String, ex_date Date, amount Float64), sorted by ticker and date
 * @throws DataError naming file, row and column of the first problem (a missing column, a bad
 *   date, an amount that is not a positive number)
 *
 * @example ORATS' names load as they are
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 * import { loadDividends } from "./dividends.ts";
 * const dir = Deno.makeTempDirSync();
 * const file = join(dir, "dividends.csv");
 * Deno.writeTextFileSync(file, "ticker,exDate,divAmt,divFreq\nSPY,2024-03-15,1.5,4\n");
 * const df = loadDividends(file);
 * assert.deepEqual(df.columns, ["ticker", "ex_date", "amount"]);
 * assert.equal(df.getColumn("amount").get(0), 1.5);
 * Deno.writeTextFileSync(file, "ticker,ex_date,amount\nSPY,2024-03-15,-1\n");
 * assert.throws(() => loadDividends(file), /row 2, column 'amount': .*positive/);
 * ```
 */
export function loadDividends(file: string, columnMap: ColumnMap = {}): pl.DataFrame {
  // A header without rows is a period without dividends.
  const { df: raw, source } = readSmallTable(file, { allowNoRows: true });
  const renames: Record<string, string> = {};
  for (const target of DIVIDEND_COLUMNS) {
    if (raw.columns.includes(target)) continue;
    const mapped = columnMap[target]?.trim().toLowerCase();
    const from = mapped && raw.columns.includes(mapped)
      ? mapped
      : DIVIDEND_ALIASES[target].find((name) => raw.columns.includes(name));
    if (from) renames[from] = target;
  }
  const named = raw.rename(renames);
  requireColumns(named.columns, DIVIDEND_COLUMNS, file);
  const df = castColumns(
    named.select(...DIVIDEND_COLUMNS),
    { ticker: "string", ex_date: "date", amount: "float" },
    source,
  );
  const amounts = df.getColumn("amount").toArray() as number[];
  for (let i = 0; i < amounts.length; i++) {
    if (!(amounts[i] > 0) || !Number.isFinite(amounts[i])) {
      throw new DataError(
        { file, row: source.kind === "csv" ? i + 2 : i + 1, column: "amount" },
        `The dividend must be a positive number of dollars per share, got ${amounts[i]}`,
      );
    }
  }
  return df.sort(["ticker", "ex_date"]);
}

/**
 * The schedules of a dividends table, by ticker (several rows of one ex-date summed).
 *
 * @param df a table from {@link loadDividends} (or built by hand: ticker, ex_date, amount)
 * @returns ticker -> ex-dates and amounts
 *
 * @example Two rows of one ex-date are one payment
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { dividendSchedules } from "./dividends.ts";
 * const df = pl.DataFrame({ ticker: ["SPY", "SPY", "SPY"],
 *   ex_date: ["2024-03-15", "2024-03-15", "2024-06-21"], amount: [1.5, 0.25, 1.6] });
 * const spy = dividendSchedules(df).get("SPY")!;
 * assert.deepEqual(Array.from(spy.amounts), [1.75, 1.6]);
 * ```
 */
export function dividendSchedules(df: pl.DataFrame): Map<string, DividendSchedule> {
  const dates = df.getColumn("ex_date");
  const days = (dates.dtype.equals(pl.Date) ? dates : dates.str.strptime(pl.Date, "%Y-%m-%d")).cast(
    pl.Int32,
  ).toArray() as number[];
  const tickers = df.getColumn("ticker").toArray() as string[];
  const amounts = df.getColumn("amount").cast(pl.Float64).toArray() as number[];
  const rows = new Map<string, Map<number, number>>();
  for (let i = 0; i < tickers.length; i++) {
    const byDay = rows.get(tickers[i]) ?? new Map<number, number>();
    byDay.set(days[i], (byDay.get(days[i]) ?? 0) + amounts[i]);
    rows.set(tickers[i], byDay);
  }
  const out = new Map<string, DividendSchedule>();
  for (const [ticker, byDay] of [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const exDays = Int32Array.from([...byDay.keys()].sort((a, b) => a - b));
    out.set(ticker, { exDays, amounts: Float64Array.from(exDays, (d) => byDay.get(d)!) });
  }
  return out;
}

/**
 * The escrowed-dividend model's riskless part (see pricing/dividends.ts): the
 * present value at `day` of the dividends with an ex-date in (day, expiry], discounted from
 * each ex-date at the continuous rate r.
 * from each ex-date at the continuous rate r.
 *
 * @param exDays ex-dates, day numbers, ascending
 * @param amounts dollars per share on each ex-date
 * @param day trade day number
 * @param expiry expiry day number
 * @param rate annual continuous rate, decimal
 * @returns dollars per share
 *
 * @example $1.50 going ex in 73 days at 5%: 1.50 · e^(−0.05 · 0.2)
 * ```ts
 * import assert from "node:assert/strict";
 * import { dividendsPresentValue } from "./dividends.ts";
 * const pv = dividendsPresentValue(Int32Array.of(73), Float64Array.of(1.5), 0, 90, 0.05);
 * assert.ok(Math.abs(pv - 1.5 * Math.exp(-0.01)) < 1e-15);
 * assert.equal(dividendsPresentValue(Int32Array.of(73), Float64Array.of(1.5), 0, 60, 0.05), 0);
 * ```
 */
export function dividendsPresentValue(
  exDays: ArrayLike<number>,
  amounts: ArrayLike<number>,
  day: number,
  expiry: number,
  rate: number,
): number {
  let pv = 0;
  for (let i = 0; i < exDays.length; i++) {
    const x = exDays[i];
    if (x <= day) continue;
    if (x > expiry) break;
    pv += amounts[i] * (rate === 0 ? 1 : Math.exp(-rate * yearFraction(x - day)));
  }
  return pv;
}

/** The next ex-date and its dividend per (ticker, calendar day), as the engine reads them. */
export interface DividendSeries {
  /**
   * At t·nDays + d: the first ex-date strictly after calendar day d, a day number
   * ({@link NO_EX_DATE} when none is known).
   */
  exDividendDay: Int32Array;
  /** At t·nDays + d: the dividend paid on that ex-date, dollars per share (0 when none). */
  exDividendAmount: Float64Array;
  /**
   * Every ex-date of the store's tickers: ticker t's are `dividendDays`/`dividendAmounts`
   * [dividendOffsets[t], dividendOffsets[t + 1]), days ascending.
   */
  dividendOffsets: Int32Array;
  /** Ex-dates, day numbers. */
  dividendDays: Int32Array;
  /** Dollars per share paid on each. */
  dividendAmounts: Float64Array;
}

/**
 * Lays the dividends on the calendar: for each ticker and day, the first ex-date after it and
 * its dividend.
 *
 * @param tickers the store's tickers
 * @param calendar the store's trading days
 * @param dividends schedules by ticker (null: none)
 * @returns the two series (no ex-date anywhere without dividends)
 *
 * @example The next ex-date of each day
 * ```ts
 * import assert from "node:assert/strict";
 * import { dividendSeries, NO_EX_DATE } from "./dividends.ts";
 * const schedule = { exDays: Int32Array.of(12), amounts: Float64Array.of(1.5) };
 * const s = dividendSeries(["SPY"], Int32Array.of(10, 11, 12), new Map([["SPY", schedule]]));
 * assert.deepEqual(Array.from(s.exDividendDay), [12, 12, NO_EX_DATE]);
 * assert.deepEqual(Array.from(s.exDividendAmount), [1.5, 1.5, 0]);
 * ```
 */
export function dividendSeries(
  tickers: readonly string[],
  calendar: Int32Array,
  dividends: Dividends | null,
): DividendSeries {
  const nDays = calendar.length;
  const exDividendDay = new Int32Array(tickers.length * nDays).fill(NO_EX_DATE);
  const exDividendAmount = new Float64Array(tickers.length * nDays);
  const dividendOffsets = new Int32Array(tickers.length + 1);
  for (let t = 0; t < tickers.length; t++) {
    dividendOffsets[t + 1] = dividendOffsets[t] +
      (dividends?.get(tickers[t])?.exDays.length ?? 0);
  }
  const dividendDays = new Int32Array(dividendOffsets[tickers.length]);
  const dividendAmounts = new Float64Array(dividendOffsets[tickers.length]);
  for (let t = 0; t < tickers.length; t++) {
    const s = dividends?.get(tickers[t]);
    if (!s) continue;
    dividendDays.set(s.exDays, dividendOffsets[t]);
    dividendAmounts.set(s.amounts, dividendOffsets[t]);
    let j = 0;
    for (let d = 0; d < nDays; d++) {
      while (j < s.exDays.length && s.exDays[j] <= calendar[d]) j++;
      if (j === s.exDays.length) break;
      exDividendDay[t * nDays + d] = s.exDays[j];
      exDividendAmount[t * nDays + d] = s.amounts[j];
    }
  }
  return { exDividendDay, exDividendAmount, dividendOffsets, dividendDays, dividendAmounts };
}

/**
 * The present value on `day` of ticker t's dividends going ex in (day, expiry], from a store's
 * dividend series ({@link dividendsPresentValue}).
 *
 * @param series the store's dividend series (its data)
 * @param t ticker index
 * @param day trade day number
 * @param expiry expiry day number
 * @param rate annual continuous rate, decimal
 * @returns dollars per share (0 without dividends)
 */
export function tickerDividendsPresentValue(
  series: DividendSeries,
  t: number,
  day: number,
  expiry: number,
  rate: number,
): number {
  const start = series.dividendOffsets[t];
  const end = series.dividendOffsets[t + 1];
  if (end === start) return 0;
  return dividendsPresentValue(
    series.dividendDays.subarray(start, end),
    series.dividendAmounts.subarray(start, end),
    day,
    expiry,
    rate,
  );
}

/**
 * The dividend whose ex-date is the next trading day after calendar index d, or 0: d is the
 * last trading day of the data before the ex-date (the last day of the data: the ex-date is
 * the next NYSE session).
 *
 * @param series the store's dividend series (its data)
 * @param calendar the store's trading days
 * @param t ticker index
 * @param d calendar index
 * @returns dollars per share (0 when d is not the eve of an ex-date)
 *
 * @example Thursday 2024-03-14 is the eve of Friday's ex-date
 * ```ts
 * import assert from "node:assert/strict";
 * import { dividendSeries, dividendTomorrow, isoToDay } from "./mod.ts";
 * const days = ["2024-03-13", "2024-03-14", "2024-03-15"].map(isoToDay);
 * const schedule = { exDays: Int32Array.of(days[2]), amounts: Float64Array.of(1.5) };
 * const calendar = Int32Array.from(days);
 * const s = dividendSeries(["SPY"], calendar, new Map([["SPY", schedule]]));
 * assert.equal(dividendTomorrow(s, calendar, 0, 1), 1.5);
 * assert.equal(dividendTomorrow(s, calendar, 0, 0), 0);
 * ```
 */
export function dividendTomorrow(
  series: DividendSeries,
  calendar: Int32Array,
  t: number,
  d: number,
): number {
  const k = t * calendar.length + d;
  const ex = series.exDividendDay[k];
  if (ex === NO_EX_DATE) return 0;
  const next = d + 1 < calendar.length ? calendar[d + 1] : nextNyseSession(calendar[d]);
  return ex <= next ? series.exDividendAmount[k] : 0;
}

/** The first NYSE session after a day. */
function nextNyseSession(day: number): number {
  let next = day + 1;
  while (!isNyseSession(next)) next++;
  return next;
}

/** One ticker's dividends as `inspect` reports them. */
export interface DividendSummary {
  /** Ticker. */
  ticker: string;
  /** Ex-dates. */
  count: number;
  /** First ex-date, YYYY-MM-DD. */
  first: string;
  /** Last ex-date, YYYY-MM-DD. */
  last: string;
  /** Dollars per share paid over all ex-dates (to 1/100 of a cent). */
  total: number;
}

/**
 * What `inspect` says of the dividends: per ticker, the count, the first and last ex-date and
 * the total paid.
 *
 * @param dividends schedules by ticker (null: no dividends file)
 * @returns one row per ticker (empty without dividends)
 */
export function dividendSummary(dividends: Dividends | null): DividendSummary[] {
  if (!dividends) return [];
  return [...dividends].map(([ticker, s]) => ({
    ticker,
    count: s.exDays.length,
    first: dayToIso(s.exDays[0]),
    last: dayToIso(s.exDays[s.exDays.length - 1]),
    total: Math.round(s.amounts.reduce((a, x) => a + x, 0) * 1e4) / 1e4,
  }));
}
