/**
 * Loading the data a configuration needs, in one call: the options it implies (rate, dividend
 * yield, column map, the underlyings it trades, the longest DTE any of its DTE ranges or its
 * walk-forward grid can reach), the `from`/`to` window pushed down to the files with the history
 * before it that the IV percentile (and VIX-rank sizing) needs, the binary cache, and the pricing
 * layer's greeks for chains without them.
 *
 * The history before `from` is found by an exponential search: the first load reaches back
 * {@link LOOKBACK_DAYS_PER_HISTORY_DAY} calendar days per trading day of history plus
 * {@link LOOKBACK_MARGIN_DAYS}; while an underlying whose data reaches that far back still has
 * fewer snapshot days than the history before `from` (the data has gaps), the look-back doubles,
 * at most {@link MAX_LOOKBACK_DOUBLINGS} times and never past {@link EARLIEST_HISTORY_DAY}.
 * Data that starts well after the day asked for ({@link DATA_START_TOLERANCE_DAYS}) has nothing
 * earlier: it is not searched further.
 *
 * @module
 */
import { buildChainStore, type ChainStore } from "../data/chain_store.ts";
import { TRADING_DAYS_PER_YEAR } from "../data/conventions.ts";
import { dayToIso, isoToDay } from "../data/dates.ts";
import type { Dividends } from "../data/dividends.ts";
import {
  loadMarketDataAsync,
  type LoadOptions,
  type LoadProgress,
  type LoadReport,
} from "../data/load.ts";
import { chainGreeks } from "../pricing/chain_greeks.ts";
import { type StrategyConfig, underlyingsOf } from "../strategy/config.ts";
import { ATM_IV_DAYS } from "../strategy/iv_rank.ts";
import { walkForwardSettings } from "../walkforward/settings.ts";

/**
 * Calendar days of the first look-back per trading day of history: a year's 252 sessions span
 * 365 calendar days (1.45 per session), and the data may lack some sessions.
 */
export const LOOKBACK_DAYS_PER_HISTORY_DAY = 2;

/** Calendar days added to the first look-back: a month more, for holidays and short gaps. */
export const LOOKBACK_MARGIN_DAYS = 30;

/**
 * How many times the look-back may double when an underlying still lacks history: 64 times the
 * first look-back at most, beyond any gap real data has.
 */
export const MAX_LOOKBACK_DOUBLINGS = 6;

/**
 * The earliest day a look-back reaches for (ISO): a bound on the search, well before the option
 * chain histories the loader reads (ORATS' begins in 2007, SPY's options were listed in 2005).
 */
export const EARLIEST_HISTORY_DAY = "1990-01-01";

/**
 * Calendar days after the first day asked for within which the loaded data's first day shows
 * that earlier data may exist; data starting later than that starts there (a month: longer than
 * any market closure).
 */
export const DATA_START_TOLERANCE_DAYS = 31;

/**
 * Calendar days after the loaded data's first day within which an underlying's own first day
 * shows that it too reaches back that far (a week: a few missing sessions); an underlying
 * whose data starts later has nothing earlier to load.
 */
export const UNDERLYING_START_TOLERANCE_DAYS = 7;

/** What to load for a configuration (or, without one, for a data path as it is). */
export interface ConfigDataOptions {
  /** The configuration (rate, [data], underlyings, DTE ranges); none loads everything. */
  config?: StrategyConfig;
  /** First day used, YYYY-MM-DD; the history before it is loaded as needed. */
  from?: string;
  /** Last day used, YYYY-MM-DD. */
  to?: string;
  /** Underlyings to load when there is no configuration (default all). */
  underlyings?: string[];
  /** Whether to use the binary cache (default: the configuration's `[data] cache`, else on). */
  cache?: boolean;
  /** Whether the store will be posted to Web Workers (SharedArrayBuffers throughout). */
  shared?: boolean;
  /**
   * Called as chain files are read (not for a cache read): the load's progress, and which load
   * it is (0 for the first; a further one reaches further back for history).
   */
  onProgress?: (progress: LoadProgress, load: number) => void;
}

/** A loaded store with what the manifest and the messages need. */
export interface ConfigData {
  /** The store. */
  store: ChainStore;
  /** Every input file read (chains, bars, VIX, dividends). */
  files: string[];
  /** How the (last) load went. */
  load: LoadReport;
  /** Cash dividends by ticker (the data folder's dividends.csv), or null: none. */
  dividends: Dividends | null;
}

/**
 * The longest DTE a configuration can trade: its `[entry] dte_max` and every `dte_range` or
 * `dte_max` value of its walk-forward grid.
 *
 * @param config the configuration
 * @returns calendar days to expiry
 *
 * @example A grid's widest DTE range sets the limit
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig } from "../strategy/config.ts";
 * import { maxConfiguredDte } from "./load.ts";
 * const config = loadConfig("config/test_config.toml");
 * assert.equal(maxConfiguredDte(config), 45);
 * config.walk_forward!.grid = { dte_range: [[30, 45], [45, 60]] };
 * assert.equal(maxConfiguredDte(config), 60);
 * ```
 */
export function maxConfiguredDte(config: StrategyConfig): number {
  let max = config.entry.dte_max;
  let grid: ReturnType<typeof walkForwardSettings>["grid"];
  try {
    grid = walkForwardSettings(config).grid;
  } catch {
    // A bad [walk_forward] is reported by what reads it (optimize), not here.
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

/**
 * Trading days of history a configuration needs before its first day: the IV percentile's, and
 * the VIX rank's when it sizes by it.
 *
 * @param config the configuration
 * @returns trading days
 *
 * @example VIX-rank sizing looks back a trading year by default
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig } from "../strategy/config.ts";
 * import { historyDays } from "./load.ts";
 * const config = loadConfig("config/test_config.toml");
 * assert.equal(historyDays(config), 60); // iv_history_days
 * config.position_sizing.sizing = "vix_rank";
 * assert.equal(historyDays(config), 252);
 * ```
 */
export function historyDays(config: StrategyConfig): number {
  const sizing = config.position_sizing;
  return Math.max(
    config.entry.iv_history_days,
    // The VIX rank's look-back defaults to a trading year, as the simulation parameters set it.
    sizing.sizing === "vix_rank" ? sizing.vix_rank_lookback ?? TRADING_DAYS_PER_YEAR : 0,
  );
}

/** Load options a configuration implies. */
function optionsOf(config: StrategyConfig | undefined, opts: ConfigDataOptions): LoadOptions {
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

/**
 * Whether an underlying of the store lacks history before `start`: fewer than `history`
 * snapshot days before it, while its data starts with the store's (so earlier data may exist).
 */
function lacksHistory(store: ChainStore, start: number, history: number): boolean {
  const first = store.calendar[0];
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
    const startsWithStore = firstDay >= 0 && firstDay <= first + UNDERLYING_START_TOLERANCE_DAYS;
    if (days < history && startsWithStore) return true;
  }
  return false;
}

/**
 * Loads the store a configuration needs. With `from`, the history before it is loaded too (see
 * the module doc), so that results equal those on the whole data.
 *
 * @param dataPath chain file, folder or data folder
 * @param options configuration, window, cache, sharing and progress
 * @returns the store, its input files and the load report
 * @throws DataError for bad data, RangeError for a bad window
 *
 * @example A window of 2024 loads the IV percentile's 60 trading days before it
 * ```ts
 * import assert from "node:assert/strict";
 * import { dayToIso, generateSample, loadConfig } from "../mod.ts";
 * import { loadConfigData } from "./load.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2023-09-01", end: "2024-03-28", seed: 5 });
 * const config = loadConfig("config/test_config.toml");
 * const { store } = await loadConfigData(dir, { config, from: "2024-02-01", cache: false });
 * const before = Array.from(store.calendar).filter((d) => dayToIso(d) < "2024-02-01");
 * assert.ok(before.length >= 60);
 * ```
 */
export async function loadConfigData(
  dataPath: string,
  options: ConfigDataOptions = {},
): Promise<ConfigData> {
  const config = options.config;
  const base = optionsOf(config, options);
  const history = config ? historyDays(config) : 0;
  const start = options.from === undefined ? null : isoToDay(options.from);
  let lookback = start === null ? 0 : LOOKBACK_DAYS_PER_HISTORY_DAY * history +
    LOOKBACK_MARGIN_DAYS;
  for (let load = 0;; load++) {
    const from = start === null ? undefined : dayToIso(start - lookback);
    const onProgress = options.onProgress;
    const market = await loadMarketDataAsync(dataPath, {
      ...base,
      from,
      onProgress: onProgress && ((p) => onProgress(p, load)),
    });
    const { chains, bars, vix, dividends } = market;
    const store = buildChainStore({ chains, bars, vix, dividends });
    if (start !== null && history > 0 && store.nDays > 0) {
      // Data starting well after the day asked for has nothing earlier to load.
      const reachesBack = store.calendar[0] <= start - lookback + DATA_START_TOLERANCE_DAYS;
      const searchable = load < MAX_LOOKBACK_DOUBLINGS &&
        start - lookback > isoToDay(EARLIEST_HISTORY_DAY);
      if (reachesBack && searchable && lacksHistory(store, start, history)) {
        lookback *= 2;
        continue;
      }
    }
    return {
      store: options.shared ? store.share() : store,
      files: market.files,
      load: market.load,
      dividends,
    };
  }
}
