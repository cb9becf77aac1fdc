/**
 * What the commands show while they work, on stderr: a progress bar while chain files load (one
 * per load: a load reaching further back for history draws a new bar), the line that says what
 * was loaded, and a progress bar with an ETA over the simulations of a walk-forward.
 *
 * @module
 */
import cliProgress from "cli-progress";
import type { ConfigData, LoadProgress } from "../lib/core.ts";

/** A progress bar fed by a library function's callback, stopped once the work is done. */
interface ProgressBar<A extends unknown[]> {
  /** The callback to hand to the library function. */
  onProgress: (...args: A) => void;
  /** Ends the bar's line (nothing when it never started). */
  stop: () => void;
}

/**
 * The bar of chain files read (nothing for a cache read; nothing at all when quiet).
 *
 * @param quiet draw nothing
 */
function loadBar(quiet = false): ProgressBar<[LoadProgress, number]> {
  if (quiet) return { onProgress: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({
    format:
      "Loading chains |{bar}| {percentage}% | {value}/{total} files | {rows} rows | ETA {eta_formatted}",
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  let current = -1;
  const stop = () => {
    if (started) bar.stop();
    started = false;
  };
  return {
    onProgress: (p, load) => {
      if (p.fromCache) return;
      if (load !== current) {
        stop();
        current = load;
      }
      if (!started) {
        bar.start(p.filesTotal, 0, { rows: 0 });
        started = true;
      }
      bar.update(p.filesDone, { rows: p.rows.toLocaleString("en-US") });
    },
    stop,
  };
}

/**
 * The line that says what a load read: rows, underlyings and days, from the cache or how many
 * files, and how long it took.
 *
 * @param data the loaded data
 */
function loadedLine(data: ConfigData): string {
  const { store, load: l } = data;
  const what = l.source === "cache"
    ? "from the cache"
    : `from ${l.filesRead} file${l.filesRead === 1 ? "" : "s"}` +
      (l.filesSkipped ? ` (${l.filesSkipped} outside the window skipped)` : "");
  return `Loaded ${store.rowCount.toLocaleString("en-US")} contract rows, ${
    store.tickers.join(", ")
  }, ` +
    `${store.nDays} trading days ${what} in ${l.seconds.toFixed(1)} s` +
    (l.cacheWritten ? ` (cached in ${l.cacheDir})` : "");
}

/**
 * The bar of a walk-forward's simulations, with its ETA; the total may change as it runs.
 *
 * @param label the bar's title, e.g. "Walk-forward"
 */
function simulationBar(label: string): ProgressBar<[number, number]> {
  const bar = new cliProgress.SingleBar({
    format: `${label} |{bar}| {percentage}% | {value}/{total} simulations | ETA {eta_formatted}`,
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    onProgress: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      if (total !== bar.getTotal()) bar.setTotal(total);
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}

/** The progress callbacks a command hands to a lib/app function. */
export interface CommandCallbacks {
  /** Draws the bar of chain files read. */
  onLoadProgress: (progress: LoadProgress, load: number) => void;
  /** Ends that bar and prints what was loaded (unless quiet). */
  onLoaded: (data: ConfigData) => void;
  /** Draws the bar of simulations (with a label only). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * What a command shows while it loads data and, given a label, runs simulations: the callbacks
 * to hand to the library, and `stop` to end the bars when it returns or throws.
 *
 * @param options the simulations bar's label, and `quiet` to draw and print nothing
 */
export function commandProgress(
  options: { simulations?: string; quiet?: boolean } = {},
): { callbacks: CommandCallbacks; stop: () => void } {
  const quiet = options.quiet ?? false;
  const load = loadBar(quiet);
  const simulations = options.simulations === undefined ? null : simulationBar(options.simulations);
  return {
    callbacks: {
      onLoadProgress: load.onProgress,
      onLoaded: (data) => {
        load.stop();
        if (!quiet) console.error(loadedLine(data));
      },
      ...(simulations ? { onProgress: simulations.onProgress } : {}),
    },
    stop: () => {
      load.stop();
      simulations?.stop();
    },
  };
}
