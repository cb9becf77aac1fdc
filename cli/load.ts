/**
 * Loading the data a command needs, in one call: the options a configuration implies (rate,
 * dividend yield, column map, the underlyings it trades, the longest DTE any of its DTE ranges
 * or its walk-forward grid can reach), the `--from/--to` window pushed down to the files (with
 * the IV-percentile history before it), the binary cache, the pricing layer's greeks for chains
 * without them, and progress on stderr.
 *
 * @module
 */
import cliProgress from "cli-progress";
import {
  ATM_IV_DAYS,
  buildChainStore,
  chainGreeks,
  type ChainStore,
  dayToIso,
  isoToDay,
  loadMarketDataAsync,
  type LoadOptions,
  type LoadReport,
  type StrategyConfig,
  underlyingsOf,
  walkForwardSettings,
} from "../lib/core.ts";

/** What a command asks of the data. */
export interface CommandDataOptions {
  /** The configuration (rate, [data], underlyings, DTE ranges); none loads everything. */
  config?: StrategyConfig;
  /** First and last day the command uses (ISO); history before `from` is loaded as needed. */
  from?: string;
  to?: string;
  /** Underlyings to load when there is no configuration (default all). */
  underlyings?: string[];
  /** Whether to use the binary cache (default: the configuration's `[data] cache`, else on). */
  cache?: boolean;
  /** Whether the store will be posted to Web Workers (SharedArrayBuffers throughout). */
  shared?: boolean;
  /** No progress or summary on stderr. */
  quiet?: boolean;
}

/** A loaded store with what the manifest and messages need. */
export interface CommandData {
  /** The store. */
  store: ChainStore;
  /** Every input file read (chains, bars, VIX). */
  files: string[];
  /** How the load went. */
  load: LoadReport;
}

/**
 * The longest DTE a configuration can trade: its `[entry] dte_max` and every `dte_range` or
 * `dte_max` value of its walk-forward grid.
 */
export function maxConfiguredDte(config: StrategyConfig): number {
  let max = config.entry.dte_max;
  let grid: ReturnType<typeof walkForwardSettings>["grid"];
  try {
    grid = walkForwardSettings(config).grid;
  } catch {
    // A bad [walk_forward] is reported by the command that reads it (optimize), not here.
    return max;
  }
  for (const { key, values } of grid) {
    for (const v of values) {
      if (key === "dte_range" && Array.isArray(v)) max = Math.max(max, Number(v[1]));
      if (key === "dte_max" && typeof v === "number") max = Math.max(max, v);
    }
  }
  return max;
}

/** Load options a configuration implies. */
function optionsOf(config: StrategyConfig | undefined, opts: CommandDataOptions): LoadOptions {
  const data = config?.data;
  return {
    rate: config?.simulation.risk_free_rate ?? 0,
    dividendYield: data?.dividend_yield ?? 0,
    columns: data && Object.keys(data.columns).length ? data.columns : undefined,
    underlyings: config ? underlyingsOf(config) : opts.underlyings,
    maxDte: config ? maxConfiguredDte(config) : undefined,
    ivTenorDays: ATM_IV_DAYS,
    computeGreeks: chainGreeks,
    cache: opts.cache ?? data?.cache ?? true,
    to: opts.to,
  };
}

/** A progress bar for a load from files (nothing for a cache read or a non-terminal). */
function progressBar(quiet: boolean): {
  onProgress: LoadOptions["onProgress"];
  stop: () => void;
} {
  if (quiet) return { onProgress: undefined, stop: () => {} };
  const bar = new cliProgress.SingleBar({
    format:
      "Loading chains |{bar}| {percentage}% | {value}/{total} files | {rows} rows | ETA {eta_formatted}",
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    onProgress: (p) => {
      if (p.fromCache) return;
      if (!started) {
        bar.start(p.filesTotal, 0, { rows: 0 });
        started = true;
      }
      bar.update(p.filesDone, { rows: p.rows.toLocaleString("en-US") });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/**
 * Trading days of history a configuration needs before its first day: the IV percentile's, and
 * the VIX rank's when it sizes by it.
 */
export function historyDays(config: StrategyConfig): number {
  const sizing = config.position_sizing;
  return Math.max(
    config.entry.iv_history_days,
    sizing.sizing === "vix_rank" ? sizing.vix_rank_lookback ?? 252 : 0,
  );
}

/**
 * Loads the store a command needs. With `from`, the IV-percentile history before it is loaded
 * too (twice `iv_history_days` calendar days, or `vix_rank_lookback` with VIX-rank sizing if
 * longer; more when the data has gaps), so that results equal those on the whole data.
 *
 * @param dataPath chain file, folder or data folder
 * @param opts configuration, window, cache and sharing
 * @returns the store, its input files and the load report
 * @throws DataError for bad data, RangeError for a bad window
 */
export async function loadStoreForCommand(
  dataPath: string,
  opts: CommandDataOptions = {},
): Promise<CommandData> {
  const config = opts.config;
  const base = optionsOf(config, opts);
  const history = config ? historyDays(config) : 0;
  let lookback = opts.from ? 2 * history + 30 : 0;
  for (let attempt = 0;; attempt++) {
    const from = opts.from ? dayToIso(isoToDay(opts.from) - lookback) : undefined;
    const bar = progressBar(opts.quiet ?? false);
    let market;
    try {
      market = await loadMarketDataAsync(dataPath, { ...base, from, onProgress: bar.onProgress });
    } finally {
      bar.stop();
    }
    const { chains, ...rest } = market;
    const store = buildChainStore({ chains, bars: rest.bars, vix: rest.vix });
    // Enough history before the window? Each underlying needs `history` snapshot days before
    // `from`, unless its data starts inside the loaded history (nothing earlier exists). Data
    // starting more than a month after the day asked for has nothing earlier: no reload then.
    const first = store.nDays > 0 ? store.calendar[0] : 0;
    const reachesBack = from !== undefined && first <= isoToDay(from) + 31;
    if (opts.from && history > 0 && attempt < 6 && store.nDays > 0 && reachesBack) {
      const start = isoToDay(opts.from);
      let short = false;
      for (let t = 0; t < store.tickers.length; t++) {
        let days = 0;
        let firstDay = -1;
        for (let d = 0; d < store.nDays && store.calendar[d] < start; d++) {
          const r = store.snapshotRange(t, d);
          if (r.end > r.start) {
            days++;
            if (firstDay < 0) firstDay = store.calendar[d];
          }
        }
        if (days < history && firstDay >= 0 && firstDay <= first + 7) short = true;
      }
      if (short && isoToDay(opts.from) - lookback > isoToDay("1990-01-01")) {
        lookback *= 2;
        continue;
      }
    }
    const shared = opts.shared ? store.share() : store;
    if (!(opts.quiet ?? false)) {
      const l = rest.load;
      const what = l.source === "cache"
        ? "from the cache"
        : `from ${l.filesRead} file${l.filesRead === 1 ? "" : "s"}` +
          (l.filesSkipped ? ` (${l.filesSkipped} outside the window skipped)` : "");
      console.error(
        `Loaded ${store.rowCount.toLocaleString("en-US")} contract rows, ${
          store.tickers.join(", ")
        }, ` +
          `${store.nDays} trading days ${what} in ${l.seconds.toFixed(1)} s` +
          (l.cacheWritten ? ` (cached in ${l.cacheDir})` : ""),
      );
    }
    return { store: shared, files: rest.files, load: rest.load };
  }
}
