/**
 * Loads a data set: option chains in any layout and file kind (one file, a folder or tree of
 * them, or a data folder with `chains/`, `bars/<TICKER>.csv` and `vix.csv`), underlying bars and
 * VIX. Chains stream file by file into typed-array columns; a date window skips daily files
 * outside it and Parquet row groups outside it; contracts no configured DTE range can reach are
 * skipped and counted; and a binary cache (see cache.ts) makes every later load of the same
 * files a disk read.
 *
 * @module
 */
import pl from "nodejs-polars";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { castColumns, requireColumns } from "./_cast.ts";
import { readSmallTable } from "./_small_table.ts";
import {
  ChainAccumulator,
  type ComputeGreeks,
  type LoadedChains,
  MemoryRows,
} from "./_accumulate.ts";
import { flagRows } from "./_index.ts";
import { normalizeFrame } from "./_normalize.ts";
import {
  chainFileKind,
  type RawFrame,
  readChainFile,
  type ReadOptions,
  readParquetFileAsync,
  sliceFrame,
} from "./_sources.ts";
import {
  type CacheCoverage,
  cacheEntryDir,
  cacheKey,
  coverageHash,
  defaultCacheDir,
} from "./_cache_key.ts";
import { type CacheHit, mapWrittenEntry, readCache, readCacheAsync } from "./_cache_read.ts";
import { BackgroundCacheWriter, CacheWriter, type EntryWriter } from "./_cache_write.ts";
import { trimDte } from "./_cache_trim.ts";
import { CacheWriteError, FileRows, PipedRows } from "./_file_rows.ts";
import { mmapSupported } from "./_mmap.ts";
import { memoizedTable } from "./_table_memo.ts";
import type { ColumnName } from "./_columns.ts";
import { civilToDay, dayToIso, isoToDay } from "./dates.ts";
import { DataError } from "./errors.ts";
import { type ColumnMap, dayOfFileName, type LayoutName } from "./layouts.ts";
import { releaseNativeMemory } from "./_gc.ts";
import { type Dividends, DIVIDENDS_FILE, dividendSchedules, loadDividends } from "./dividends.ts";
import { cacheWarning, onCacheWarning } from "./cache_warnings.ts";
import { fileSystemReason } from "./fs_reason.ts";

export type { ChainGroups, ChainOrigin, ComputeGreeks, LoadedChains } from "./_accumulate.ts";

/**
 * Every chain file under a folder (recursively; names starting with a dot are skipped), sorted
 * by path for determinism.
 */
export function listChainFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith(".")) continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (chainFileKind(p)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Progress of a load, reported after each file (or once for a cache read). */
export interface LoadProgress {
  /** Chain files done. */
  filesDone: number;
  /** Chain files in all. */
  filesTotal: number;
  /** Bytes of chain files done. */
  bytesDone: number;
  /** Bytes of chain files in all. */
  bytesTotal: number;
  /** Contract rows kept so far. */
  rows: number;
  /** Whether the rows come from the cache. */
  fromCache: boolean;
}

/** Options of {@link loadMarketData}. */
export interface LoadOptions {
  /** First trade day to load, ISO (default: the data's first). */
  from?: string;
  /** Last trade day to load, ISO (default: the data's last). */
  to?: string;
  /** Underlyings to load (default: all, at most 255). */
  underlyings?: string[];
  /**
   * Skip contracts with more calendar days to expiry than this, counting them (default: keep
   * every contract). Every expiry up to `ivTenorDays`, and beyond it every expiry up to the
   * first with a usable row (the 30-day IV's upper end), are kept anyway.
   */
  maxDte?: number;
  /** Tenor of the constant-maturity IV the strategy reads, calendar days; default 30. */
  ivTenorDays?: number;
  /** Risk-free rate, annual decimal: put greeks of strikes layouts, computed greeks; default 0. */
  rate?: number;
  /** Continuous dividend yield, annual decimal, for the same; default 0. */
  dividendYield?: number;
  /** `[data.columns]` map (long-layout name -> the file's column) for any other layout. */
  columns?: ColumnMap;
  /**
   * IV and greeks for layouts without them (CBOE Option EOD without Calcs): pass
   * `chainGreeks` from the pricing layer. Without it such files are an error.
   */
  computeGreeks?: ComputeGreeks;
  /**
   * The binary cache: `true` for the default folder (see cache.ts), a folder path, or `false`
   * (default) to read the files every time.
   */
  cache?: boolean | string;
  /**
   * Map cache entries into memory where the platform allows it (default true): the columns are
   * then the page cache itself, shared with other processes and Web Workers, and only what a
   * command touches is ever read. `false` (or `MAHLER_MMAP=0`) reads them; results are the same.
   */
  mmap?: boolean;
  /** Called as the load progresses. */
  onProgress?: (progress: LoadProgress) => void;
}

/** How a load went. */
export interface LoadReport {
  /** Where the rows came from. */
  source: "files" | "cache";
  /** Cache folder (null without a cache). */
  cacheDir: string | null;
  /** Cache key of the data (null without a cache). */
  cacheKey: string | null;
  /** The entry read, or written (null when neither). */
  cacheEntry: string | null;
  /** Whether this load wrote a cache entry. */
  cacheWritten: boolean;
  /** Why the cache entry could not be written, if it could not (the load itself succeeded). */
  cacheError?: string;
  /**
   * What the cache reported during the load, one line each: damaged entries found (removed
   * and rebuilt from the files) and a cache that could not be written (see cache_warnings.ts).
   */
  cacheWarnings: string[];
  /** Chain files in the data. */
  chainFiles: number;
  /** Chain files read. */
  filesRead: number;
  /** Chain files skipped by the date window. */
  filesSkipped: number;
  /** Frames read per layout. */
  layouts: Partial<Record<LayoutName, number>>;
  /** Contract rows read from files (0 from the cache). */
  rowsRead: number;
  /** Contract rows kept. */
  rowsKept: number;
  /** Seconds spent. */
  seconds: number;
}

/** A loaded data set. */
export interface MarketData {
  /** The chains, sorted into typed-array columns. */
  chains: LoadedChains;
  /** Daily bars per ticker (date, open, high, low, close, volume). */
  bars: Map<string, pl.DataFrame>;
  /** VIX daily (date, open, high, low, close), or null when absent. */
  vix: pl.DataFrame | null;
  /** Cash dividends by ticker (`dividends.csv`), or null when the data has none. */
  dividends: Dividends | null;
  /** Every input file (chains, bars, VIX, dividends), in order. */
  files: string[];
  /** How the load went. */
  load: LoadReport;
}

/** A `[data.columns]` map without the dividends' own names (undefined when nothing is left). */
function chainColumnMap(columns: ColumnMap | undefined): ColumnMap | undefined {
  if (!columns) return columns;
  const chains = Object.entries(columns).filter(([k]) => k !== "ex_date" && k !== "amount");
  return chains.length === Object.keys(columns).length
    ? columns
    : chains.length
    ? Object.fromEntries(chains)
    : undefined;
}

/** A file's absolute path, size and modification time (its cache identity). */
function fileStamp(file: string): { path: string; size: number; mtimeMs: number } {
  const s = statSync(file);
  return { path: resolve(file), size: s.size, mtimeMs: s.mtimeMs };
}

/** A day number of an option date, or a RangeError. */
function dayOption(name: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const day = isoToDay(value);
  if (Number.isNaN(day)) {
    throw new RangeError(`${name} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return day;
}

/** The chain files, bars and VIX of a data path. */
function resolveInputs(
  path: string,
): {
  chainFiles: string[];
  barFiles: string[];
  vixFile: string | null;
  dividendsFile: string | null;
} {
  if (!existsSync(path)) throw new DataError({ file: path }, "Data path does not exist");
  if (!statSync(path).isDirectory()) {
    if (!chainFileKind(path)) {
      throw new DataError(
        { file: path },
        "Unsupported file type (use .csv, .csv.gz, .zip, .parquet or .json)",
      );
    }
    return { chainFiles: [path], barFiles: [], vixFile: null, dividendsFile: null };
  }
  const chainsDir = join(path, "chains");
  const isDataDir = existsSync(chainsDir) && statSync(chainsDir).isDirectory();
  const chainFiles = listChainFiles(isDataDir ? chainsDir : path);
  if (chainFiles.length === 0) {
    throw new DataError(
      { file: isDataDir ? chainsDir : path },
      "No chain files found (.csv, .csv.gz, .zip, .parquet or .json, searched recursively)",
    );
  }
  const barFiles: string[] = [];
  let vixFile: string | null = null;
  let dividendsFile: string | null = null;
  if (isDataDir) {
    const barsDir = join(path, "bars");
    if (existsSync(barsDir)) {
      for (const name of readdirSync(barsDir).sort()) {
        if (/\.(csv|csv\.gz|parquet)$/i.test(name)) barFiles.push(join(barsDir, name));
      }
    }
    const v = join(path, "vix.csv");
    if (existsSync(v)) vixFile = v;
    const dv = join(path, DIVIDENDS_FILE);
    if (existsSync(dv)) dividendsFile = dv;
  }
  return { chainFiles, barFiles, vixFile, dividendsFile };
}

/**
 * Loads a data path: a chain file, a folder (or tree) of chain files, or a data folder holding
 * `chains/`, optional `bars/<TICKER>.csv` and optional `vix.csv`. Any mix of layouts and file
 * kinds loads (see layouts.ts); the chains come back sorted into typed-array columns.
 *
 * @param path file or folder
 * @param options window, underlyings, DTE limit, rates, column map, greeks calculator, cache
 * @returns chains, bars, VIX, the input files and a load report
 * @throws DataError naming file, row and column of the first problem
 *
 * @example Loading a chain file written in ORATS' SMV Strikes layout
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 * import { buildChainStore, loadMarketData } from "./mod.ts";
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(
 *   join(dir, "ORATS_SMV_Strikes_20240102.csv"),
 *   "ticker,stkPx,expirDate,strike,cVolu,cOi,pVolu,pOi,cBidPx,cAskPx,pBidPx,pAskPx," +
 *     "cMidIv,pMidIv,delta,gamma,theta,vega,trade_date\n" +
 *     "SPY,472.5,02/16/2024,470,1200,15000,900,12000,6.10,6.20,3.40,3.50," +
 *     "0.13,0.14,0.55,0.02,-0.15,0.60,01/02/2024\n",
 * );
 * const market = loadMarketData(dir);
 * const store = buildChainStore(market);
 * assert.equal(store.rowCount, 2); // a call and a put
 * assert.equal(market.load.layouts.smv_strikes, 1);
 * ```
 */
export function loadMarketData(path: string, options: LoadOptions = {}): MarketData {
  const steps = loadSteps(path, options, {
    writer: (dir, key) => new CacheWriter(dir, key),
    piped: false,
  });
  let answer: CacheHit | null = null;
  for (;;) {
    const step = steps.next(answer);
    if (step.done) return step.value;
    const v = step.value;
    // Parquet files are read where they are needed (null), cache requests answered here.
    answer = typeof v === "number" || "parquet" in v
      ? null
      : readCache(v.dir, v.key, v.coverage, { mmap: options.mmap });
  }
}

/** Native (polars) bytes read between two releases of native memory by the async loader. */
const NATIVE_RELEASE_BYTES = 512 << 20;

/**
 * Loads a data path as {@link loadMarketData} does, yielding to the event loop after each file
 * so that the native memory of the file's frames is released before the next: peak memory
 * stays near the loaded columns' own size however many files there are. Use it for large data
 * (the command line does).
 *
 * @param path file or folder
 * @param options as for loadMarketData
 * @returns chains, bars, VIX, the input files and a load report
 */
export async function loadMarketDataAsync(
  path: string,
  options: LoadOptions = {},
): Promise<MarketData> {
  const t0 = performance.now();
  let background: BackgroundCacheWriter | null = null;
  const steps = loadSteps(path, options, {
    writer: (dir, key) => (background = new BackgroundCacheWriter(dir, key)),
    piped: true,
  });
  let held = 0;
  let answer: CacheHit | RawFrame[] | null = null;
  // Parquet decodes started ahead (polars decodes on its own threads meanwhile).
  const decoding = new Map<string, Promise<RawFrame | null>>();
  const decode = (request: ParquetRequest, file: string) => {
    let p = decoding.get(file);
    if (!p) {
      p = readParquetFileAsync(file, request.options);
      p.catch(() => {}); // A failure surfaces when (and if) the file is asked for.
      decoding.set(file, p);
    }
    return p;
  };
  for (;;) {
    let step: IteratorResult<LoadStep, MarketData>;
    try {
      step = steps.next(answer);
    } catch (err) {
      // The generator abandoned the entry; let the worker remove it before failing.
      if (background) await (background as BackgroundCacheWriter).settled;
      throw err;
    }
    if (step.done) {
      const market = step.value;
      if (background) {
        // The entry is in place before the load returns (the disk worked while files parsed).
        const error = await (background as BackgroundCacheWriter).settled;
        if (error !== null) {
          market.load.cacheWritten = false;
          market.load.cacheError = error;
          const line = cannotWriteCache(market.load.cacheDir!, error);
          market.load.cacheWarnings.push(line);
          cacheWarning(line);
          // Reports are kept beside an entry only when the entry exists.
          if (market.load.source === "files") market.chains.origin = undefined;
        }
      }
      market.load.seconds = (performance.now() - t0) / 1000;
      return market;
    }
    answer = null;
    const v = step.value;
    if (typeof v !== "number" && "parquet" in v) {
      // This file's frame, decoded ahead; the next file's decode starts now.
      if (v.next) decode(v, v.next);
      const frame = await decode(v, v.parquet);
      decoding.delete(v.parquet);
      answer = frame ? [frame] : [];
      continue;
    }
    if (typeof v !== "number") {
      // A cache read: mapped, or read by this thread and a worker (page faults on two cores).
      answer = await readCacheAsync(v.dir, v.key, v.coverage, { mmap: options.mmap });
      continue;
    }
    // Release once the frames read since the last release hold enough native memory to matter
    // (a full collection costs tens of milliseconds, so not after every small file).
    held += v;
    if (held >= NATIVE_RELEASE_BYTES) {
      await releaseNativeMemory();
      held = 0;
    }
  }
}

/** A step's request to read the cache (answered by the sync or the async driver). */
interface CacheRequest {
  dir: string;
  key: string;
  coverage: CacheCoverage;
}

/**
 * A step's request for a Parquet file's frame: the async driver answers with the frame
 * (decoded ahead, while the previous file was converted) and starts decoding `next`; the sync
 * driver answers null and the step reads the file itself.
 */
interface ParquetRequest {
  parquet: string;
  next: string | null;
  options: ReadOptions;
}

/** What a load step yields: native bytes read (for memory release), or a request. */
type LoadStep = number | CacheRequest | ParquetRequest;

/** The load, one step per chain file. */
function* loadSteps(
  path: string,
  loadOptions: LoadOptions,
  io: {
    /** A writer of an entry from rows in memory. */
    writer: (dir: string, key: string) => EntryWriter;
    /** Whether rows written straight to the entry's files go through a writer thread. */
    piped: boolean;
  },
): Generator<LoadStep, MarketData, CacheHit | RawFrame[] | null> {
  const t0 = performance.now();
  // The dividends' names of `[data.columns]` (ex_date, amount) are not the chains'.
  const options = { ...loadOptions, columns: chainColumnMap(loadOptions.columns) };
  const from = dayOption("from", options.from);
  const to = dayOption("to", options.to);
  if (from !== null && to !== null && from > to) {
    throw new RangeError(`from (${options.from}) is after to (${options.to})`);
  }
  const { chainFiles, barFiles, vixFile, dividendsFile } = resolveInputs(path);
  // Read first: the greeks computed at load (layouts without them) price on the spot net of
  // the dividends before expiry.
  const dividends: Dividends | null = dividendsFile
    ? dividendSchedules(loadDividends(dividendsFile, loadOptions.columns))
    : null;
  const stats = chainFiles.map((p) => {
    const s = statSync(p);
    return { path: resolve(p), size: s.size, mtimeMs: s.mtimeMs };
  });
  const bytesTotal = stats.reduce((s, f) => s + f.size, 0);
  const ivTenorDays = options.ivTenorDays ?? 30;
  const coverage: CacheCoverage = {
    from,
    to,
    underlyings: options.underlyings ? [...options.underlyings].sort() : null,
    maxDte: options.maxDte ?? null,
    ivTenorDays,
  };
  const rate = options.rate ?? 0;
  const dividendYield = options.dividendYield ?? 0;
  const cacheDir = options.cache === true
    ? defaultCacheDir()
    : typeof options.cache === "string"
    ? resolve(options.cache)
    : null;
  const key = cacheDir
    ? cacheKey({
      files: stats,
      rate,
      dividendYield,
      columnMap: options.columns ?? null,
      dividends: dividendsFile ? fileStamp(dividendsFile) : null,
    })
    : null;
  const report: LoadReport = {
    source: "files",
    cacheDir,
    cacheKey: key,
    cacheEntry: null,
    cacheWritten: false,
    cacheWarnings: [],
    chainFiles: chainFiles.length,
    filesRead: 0,
    filesSkipped: 0,
    layouts: {},
    rowsRead: 0,
    rowsKept: 0,
    seconds: 0,
  };
  let chains: LoadedChains | null = null;
  /** A cache that cannot be written: reported, and the load goes on without it. */
  const cacheFailed = (err: unknown) => {
    report.cacheError = reasonOf(err);
    const line = cannotWriteCache(cacheDir!, report.cacheError);
    report.cacheWarnings.push(line);
    cacheWarning(line);
  };
  if (cacheDir && key) {
    // Damaged entries found by this load's read are reported in its report too.
    const stop = onCacheWarning((line) => report.cacheWarnings.push(line));
    let hit: CacheHit | null;
    try {
      hit = (yield { dir: cacheDir, key, coverage }) as CacheHit | null;
    } finally {
      stop();
    }
    // An entry without rows for a wanted underlying is read again from the files, which name
    // every underlying the data holds in the error.
    if (hit && coverage.underlyings?.some((u) => !hit!.chains.tickers.includes(u))) hit = null;
    if (hit) {
      chains = hit.chains;
      report.cacheEntry = hit.entry;
      const e = hit.coverage;
      const wantLimit = coverage.maxDte === null
        ? Infinity
        : Math.max(coverage.maxDte, ivTenorDays);
      const entryLimit = e.maxDte === null ? Infinity : Math.max(e.maxDte, e.ivTenorDays);
      if (wantLimit < entryLimit) {
        const read = chains.columns.day.length;
        chains = trimDte(chains, coverage.maxDte!, ivTenorDays);
        // Served by a much larger entry (an inspect's whole market, say): write this load's own,
        // so that the next one reads only its rows.
        if (chains.columns.day.length < read * 0.67) {
          try {
            const writer = io.writer(cacheDir, key);
            writer.append(chains.columns, 0, chains.columns.day.length);
            writer.finish(chains, coverage, stats.map((f) => f.path), new Set());
            report.cacheWritten = true;
            report.cacheEntry = cacheEntryDir(cacheDir, key, coverage);
            chains.origin = { entry: report.cacheEntry, slice: coverageHash(coverage) };
          } catch (err) {
            cacheFailed(err);
          }
        }
      }
      report.source = "cache";
      options.onProgress?.({
        filesDone: chainFiles.length,
        filesTotal: chainFiles.length,
        bytesDone: bytesTotal,
        bytesTotal,
        rows: chains.columns.day.length,
        fromCache: true,
      });
    }
  }
  if (!chains) {
    // With maps, rows go straight into the entry's column files and the store maps them at the
    // end; otherwise the entry is written as rows are appended to memory (on a worker thread
    // when loading asynchronously). Either way it is moved into place at the end. A cache that
    // cannot be written (a read-only or full disk) costs the next load time, never this one
    // its result.
    let writer: EntryWriter | null = null;
    let direct: CacheWriter | null = null;
    let sink: FileRows | PipedRows | null = null;
    if (cacheDir && key) {
      try {
        if ((options.mmap ?? true) && mmapSupported()) {
          writer = direct = new CacheWriter(cacheDir, key);
          sink = io.piped ? new PipedRows(direct) : new FileRows(direct);
        } else writer = io.writer(cacheDir, key);
      } catch (err) {
        cacheFailed(err);
        writer?.abandon();
        writer = direct = sink = null;
      }
    }
    const context = {
      from,
      to,
      coverage,
      rate,
      dividendYield,
      dividends,
      options,
      report,
      bytesTotal,
      writer: direct ? null : writer,
      sink: sink ?? undefined,
      path,
    };
    try {
      let loaded;
      try {
        loaded = yield* loadChainFiles(chainFiles, context);
      } catch (err) {
        if (!(err instanceof CacheWriteError)) throw err;
        // The entry's files could not be written (a full disk, say): load again into memory.
        cacheFailed(err);
        sink?.abandon();
        writer?.abandon();
        writer = direct = sink = null;
        report.filesRead = report.filesSkipped = report.rowsRead = 0;
        report.layouts = {};
        loaded = yield* loadChainFiles(chainFiles, { ...context, writer: null, sink: undefined });
      }
      chains = loaded.chains;
      // Rows written in order: the sink found the chain groups as they went by.
      if (sink && chains.snapshots) chains.groups = sink.groups();
      if (writer) {
        try {
          const groups = writer.finish(chains, coverage, stats.map((f) => f.path), loaded.rewrite);
          report.cacheWritten = true;
          report.cacheEntry = cacheEntryDir(cacheDir!, key!, coverage);
          // Written directly: the store is the entry's files, mapped where they now are.
          if (direct && groups) chains = mapWrittenEntry(report.cacheEntry, chains, groups);
          chains.origin = { entry: report.cacheEntry, slice: coverageHash(coverage) };
        } catch (err) {
          cacheFailed(err);
        }
      }
    } catch (err) {
      sink?.abandon();
      writer?.abandon();
      throw err;
    }
  }
  report.rowsKept = chains.columns.day.length;
  const wanted = coverage.underlyings;
  const bars = new Map<string, pl.DataFrame>();
  const files = [...chainFiles];
  for (const file of barFiles) {
    const ticker = file.split(/[\\/]/).pop()!.replace(/\.(csv|csv\.gz|parquet)$/i, "");
    if (wanted && !wanted.includes(ticker)) continue;
    bars.set(ticker, memoizedTable(cacheDir, "bars", file, () => loadBars(file)));
    files.push(file);
  }
  let vix: pl.DataFrame | null = null;
  if (vixFile) {
    vix = memoizedTable(cacheDir, "vix", vixFile, () => loadVix(vixFile));
    files.push(vixFile);
  }
  if (dividendsFile) files.push(dividendsFile);
  report.seconds = (performance.now() - t0) / 1000;
  return { chains, bars, vix, dividends, files, load: report };
}

/** A file-system error's reason in words (see fs_reason.ts). */
function reasonOf(err: unknown): string {
  return fileSystemReason(err);
}

/** The warning of a cache that cannot be written. */
function cannotWriteCache(dir: string, reason: string): string {
  return `Cannot write the cache in ${dir} (${reasonOf(reason)}): this load goes on without it ` +
    `(the next one reads the files again)`;
}

/** Reads chain files into sorted columns (no cache). */
function* loadChainFiles(
  files: string[],
  ctx: {
    from: number | null;
    to: number | null;
    coverage: CacheCoverage;
    rate: number;
    dividendYield: number;
    /** Cash dividends (computed greeks price on the escrowed spot), or null. */
    dividends: Dividends | null;
    options: LoadOptions;
    report: LoadReport;
    bytesTotal: number;
    writer: EntryWriter | null;
    /** Where rows go (default memory). */
    sink?: FileRows | PipedRows;
    /** The data path, for messages. */
    path: string;
  },
): Generator<
  number | ParquetRequest,
  { chains: LoadedChains; rewrite: Set<ColumnName> },
  CacheHit | RawFrame[] | null
> {
  const { options, report } = ctx;
  const memory = new MemoryRows();
  const acc = new ChainAccumulator({
    from: ctx.from ?? undefined,
    to: ctx.to ?? undefined,
    underlyings: ctx.coverage.underlyings ? new Set(ctx.coverage.underlyings) : undefined,
    maxDte: options.maxDte,
    ivTenorDays: ctx.coverage.ivTenorDays,
    computeGreeks: options.computeGreeks,
    rate: ctx.rate,
    dividendYield: ctx.dividendYield,
    dividends: ctx.dividends,
  }, ctx.sink ?? memory);
  const window = ctx.from !== null || ctx.to !== null
    ? { from: ctx.from ?? undefined, to: ctx.to ?? undefined }
    : undefined;
  const readOptions: ReadOptions = { columnMap: options.columns, window };
  const dayOf = (file: string) => {
    const named = dayOfFileName(file);
    const day = named ? civilToDay(named.year, named.month, named.day) : null;
    return day !== null && !Number.isNaN(day) ? day : null;
  };
  // A daily file (its day in its name) outside the window is not opened.
  const outside = (file: string) => {
    const day = dayOf(file);
    return day !== null &&
      ((ctx.from !== null && day < ctx.from) || (ctx.to !== null && day > ctx.to));
  };
  const isParquet = (file: string) => chainFileKind(file) === "parquet" && !outside(file);
  let bytesDone = 0;
  let nativeBytes = 0;
  let written = 0;
  for (let k = 0; k < files.length; k++) {
    const file = files[k];
    const size = statSync(file).size;
    const fileDay = dayOf(file);
    const take = (frame: RawFrame) => {
      report.layouts[frame.layout] = (report.layouts[frame.layout] ?? 0) + 1;
      nativeBytes += frame.df.height * frame.df.width * 8;
      for (const piece of sliceFrame(frame, options.columns)) {
        acc.add(
          normalizeFrame(piece.df, piece.layout, piece.source, {
            rate: ctx.rate,
            dividendYield: ctx.dividendYield,
            columnMap: options.columns,
            fileDay,
          }),
        );
      }
    };
    if (outside(file)) {
      report.filesSkipped++;
    } else {
      let frames: RawFrame[] | null = null;
      if (isParquet(file)) {
        const next = files.slice(k + 1).find(isParquet) ?? null;
        frames = (yield { parquet: file, next, options: readOptions }) as RawFrame[] | null;
      }
      if (frames) frames.forEach(take);
      else readChainFile(file, readOptions, take);
      report.filesRead++;
    }
    if (ctx.writer && acc.rows > written) {
      ctx.writer.append(memory.columns, written, acc.rows);
      written = acc.rows;
    }
    bytesDone += size;
    options.onProgress?.({
      filesDone: k + 1,
      filesTotal: files.length,
      bytesDone,
      bytesTotal: ctx.bytesTotal,
      rows: acc.rows,
      fromCache: false,
    });
    yield nativeBytes;
    nativeBytes = 0;
  }
  report.rowsRead = acc.rowsRead;
  // Every wanted underlying must have rows: a ticker the data lacks is an error naming the
  // ones it holds, not a run that silently skips it.
  const kept = acc.rowsPerTicker();
  const present = [...kept.keys()].filter((t) => kept.get(t)! > 0).sort();
  const wanted = ctx.coverage.underlyings;
  const missing = wanted ? wanted.filter((u) => !present.includes(u)) : [];
  if (present.length === 0 || missing.length > 0) {
    const where = ctx.from !== null || ctx.to !== null
      ? ` between ${ctx.from !== null ? dayToIso(ctx.from) : "the start"} and ${
        ctx.to !== null ? dayToIso(ctx.to) : "the end"
      }`
      : "";
    const which = missing.length ? ` for ${missing.join(", ")}` : "";
    const holds = [...acc.seen].sort();
    throw new DataError(
      { file: ctx.path },
      `No contract rows${which}${where}` +
        (holds.length ? `; the data holds ${holds.join(", ")}` : "; the files hold no rows"),
    );
  }
  const chains = acc.finish();
  // Columns the final ordering changed after their rows were written, and the flags when they
  // are set only now (rows written straight to files are flagged as they go).
  const rewrite = new Set<ColumnName>(acc.changedColumns);
  if (!chains.flagged) {
    flagRows(chains.columns);
    chains.flagged = true;
    rewrite.add("flags");
  }
  return { chains, rewrite };
}

/** Sorts by date and fails on a repeated date, naming it. */
function checkDates(df: pl.DataFrame, file: string): pl.DataFrame {
  const sorted = df.sort("date");
  const days = sorted.getColumn("date").cast(pl.Int32).toTypedArray() as Int32Array;
  for (let i = 1; i < days.length; i++) {
    if (days[i] === days[i - 1]) {
      throw new DataError(
        { file, row: dayToIso(days[i]), column: "date" },
        "Date appears more than once",
      );
    }
  }
  return sorted;
}

/**
 * Loads underlying daily bars `date,open,high,low,close,volume` (ISO or MM/DD/YYYY dates).
 *
 * @throws DataError naming file, row and column of the first problem
 */
export function loadBars(file: string): pl.DataFrame {
  const { df: raw, source } = readSmallTable(file);
  requireColumns(raw.columns, ["date", "open", "high", "low", "close"], file);
  const withVolume = raw.columns.includes("volume")
    ? raw
    : raw.withColumns(pl.lit(null).cast(pl.Float64).alias("volume"));
  const df = castColumns(
    withVolume.select("date", "open", "high", "low", "close", "volume"),
    { date: "date", open: "float", high: "float", low: "float", close: "float", volume: "float" },
    source,
  );
  return checkDates(df, file);
}

/**
 * Loads VIX daily `date,open,high,low,close`, also CBOE's `DATE,OPEN,HIGH,LOW,CLOSE` with
 * MM/DD/YYYY dates.
 *
 * @throws DataError naming file, row and column of the first problem
 */
export function loadVix(file: string): pl.DataFrame {
  const { df: raw, source } = readSmallTable(file);
  requireColumns(raw.columns, ["date", "close"], file);
  const filled = raw.withColumns(
    ...["open", "high", "low"].filter((c) => !raw.columns.includes(c)).map((c) =>
      pl.col("close").alias(c)
    ),
  );
  const df = castColumns(
    filled.select("date", "open", "high", "low", "close"),
    { date: "date", open: "float", high: "float", low: "float", close: "float" },
    source,
  );
  return checkDates(df, file);
}
