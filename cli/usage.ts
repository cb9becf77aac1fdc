/**
 * Usage texts: the overview (`mahler help`) and each command's (`mahler help run`,
 * `mahler run --help`).
 *
 * @module
 */

/** Where the sample market lives (generated on first use by the commands that default to it). */
const SAMPLE = "data/sample";

/** Each command's usage. */
export const COMMAND_USAGE: Record<string, string> = {
  optimize:
    `Usage: mahler optimize [--config FILE] [--data PATH] [--out DIR] [--force] [--workers N]
                       [--from DATE] [--to DATE] [--ticker T[,T]] [--set KEY=VALUE]...
                       [--strict] [--shard I/N|auto]
       mahler optimize --merge SHARD_DIR... --out DIR [--force] [--strict]

Walk-forward optimization of the configuration's [walk_forward.grid] on Web Workers: every
combination on each training window, the top N on the validation window, the best on the test
window. Prints the walk-forward efficiency, the [walk_forward.guards] against their thresholds
and the verdict (pass or reject). Writes walk_forward.json, grid_results.parquet, params.toml
(the latest choice), the stitched out-of-sample trades.parquet, trade_legs.parquet,
metrics.json and equity_curve.csv, data_quality.json and manifest.json.

  --config FILE      strategy TOML (default config/default.toml)
  --data PATH        chain file, directory or data directory (default ${SAMPLE}, generated
                     when absent)
  --out DIR          output folder (default results/optimize-<timestamp>); also --output
  --force            replace the output folder whole if it exists and is not empty
  --workers N        worker count (default: number of cores)
  --from DATE        first day of the walk-forward, YYYY-MM-DD (earlier data is history)
  --to DATE          last day of the walk-forward, YYYY-MM-DD
  --ticker T[,T]     trade these underlyings instead of [strategy] underlying (also
                     --underlyings)
  --set KEY=VALUE    set any configuration key, e.g. --set exit.profit_target_pct=0.6 or
                     --set walk_forward.train_months=24 (a TOML value; repeatable)
  --strict           exit with code 3 when the verdict is "reject"
  --shard I/N        run only shard I (0 to N-1) of the work and write its partial result
                     (shard.json, outcomes.json) to --out; "auto" takes I and N from
                     SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or JOB_COMPLETION_INDEX/
                     MAHLER_SHARD_COUNT
  --merge DIR...     merge the N shard folders (all of them, any order, one configuration,
                     data set and version; else an error naming the shard and nothing
                     written) into the files above, byte-identical to a single run's`,
  run: `Usage: mahler run --config FILE --data PATH [--out DIR] [--force] [--from DATE]
                  [--to DATE] [--ticker T[,T]] [--set KEY=VALUE]... [--slippage-sweep]

Backtests a configuration. Writes trades.parquet, trade_legs.parquet, metrics.json,
equity_curve.csv, params.toml, data_quality.json and manifest.json. With no trade, says which entry filter stopped every
candidate.

  --config FILE     strategy TOML (required)
  --data PATH       chain file, directory or data directory (required)
  --out DIR         output folder (default results/run-<timestamp>); also --output
  --force           replace the output folder whole if it exists and is not empty
  --from DATE       first day, YYYY-MM-DD (default: the first day of the data)
  --to DATE         last day, YYYY-MM-DD (default: the last day of the data)
  --ticker T[,T]    trade these underlyings instead of [strategy] underlying (also
                    --underlyings)
  --set KEY=VALUE   set any configuration key, e.g. --set exit.profit_target_pct=0.6 (a TOML
                    value; repeatable); recorded in manifest.json and params.toml
  --slippage-sweep  also re-run over [diagnostics] slippage_sweep fractions and report where
                    the edge disappears (slippage_sweep.json)`,
  validate: `Usage: mahler validate --params FILE --data PATH [--out DIR] [--force] [--from DATE]
                       [--to DATE] [--ticker T[,T]] [--set KEY=VALUE]...

Runs fixed parameters (a params.toml written by run or optimize) on a period; writes the same
files as run.

  --params FILE   parameters TOML (required)
  --data PATH     chain file, directory or data directory (required)
  --out DIR       output folder (default results/validate-<timestamp>); also --output
  --force         replace the output folder whole if it exists and is not empty
  --from DATE     first day, YYYY-MM-DD
  --to DATE       last day, YYYY-MM-DD
  --ticker T[,T]  trade these underlyings instead of the file's (also --underlyings)
  --set KEY=VALUE set any configuration key (a TOML value; repeatable)`,
  export: `Usage: mahler export --run DIR --format csv|json|ndjson [--table TABLE] [--out DIR]
                     [--force]

Exports a run folder's tables with dates as YYYY-MM-DD: JSON is an array of records, NDJSON one
record a line.

  --run DIR       a folder written by run, validate or optimize (required)
  --format F      csv, json or ndjson (required)
  --table TABLE   trades (the trade log, default), legs (one row per leg per trade), equity
                  (the daily state), periods (the walk-forward periods of an optimize run) or
                  all (every table present)
  --out DIR       output folder (default results/export-<timestamp>); also --output
  --force         replace the output folder whole if it exists and is not empty`,
  inspect: `Usage: mahler inspect --data PATH [--json] [--config FILE] [--from DATE] [--to DATE]
                      [--ticker T[,T]] [--no-cache]

Prints the data-quality report of a data path (missing NYSE sessions per underlying included),
with the comparison of the chain's greeks and IV against Black-Scholes.

  --data PATH         chain file, directory of chain files, or data directory (required)
  --json              print the report as JSON
  --config FILE       load as this configuration would (underlyings, DTE limit, [data])
  --from DATE         first day, YYYY-MM-DD
  --to DATE           last day, YYYY-MM-DD
  --ticker T[,T]      only these underlyings, e.g. SPY,QQQ (also --underlyings)
  --no-cache          read the files even when the cache holds them`,
  sample: `Usage: mahler sample [--out DIR] [--seed N] [--profile sample|full] [--from DATE]
                     [--to DATE]

Generates a deterministic market; the same seed gives byte-identical files.

  --out DIR       output directory (default ${SAMPLE}; data/full for --profile full)
  --seed N        integer seed (default 42)
  --profile P     sample (default: 4.3 M rows, 2019-2024) or full (SPY/QQQ/IWM at ORATS
                  density: about 73.5 M rows for 2007-2023)
  --from DATE     first day (full: default 2007-01-01)
  --to DATE       last day (full: default 2023-12-31)`,
  report: `Usage: mahler report [--notebooks DIR] [--out DIR] [--only NAMES]

Executes every notebook with Jupyter (Deno kernel) and writes <out>/<name>.html.

  --notebooks DIR  notebooks folder (default notebooks)
  --out DIR        output folder (default reports)
  --only NAMES     comma-separated notebook names (default all)`,
};

/** The overview of every command. */
export const USAGE = `Usage: mahler <command> [options]

Commands:
  optimize   walk-forward optimization of a configuration's grid (the main job)
  run        backtest a configuration
  validate   run fixed parameters (a params.toml) on a period
  export     export a run's trade log, daily state or walk-forward periods as CSV, JSON, NDJSON
  inspect    data-quality report of a data path
  sample     generate the deterministic sample market
  report     render the notebooks to HTML reports
  help       this overview, or a command's usage: mahler help <command>

Every command takes --help. An output folder that exists and is not empty is refused unless
--force replaces it. Unknown commands, flags and bad values exit with code 2; bad data or
configuration, or an unusable output folder, exits with code 1 and names the file, the row (or
day, or key) and the column; optimize --strict exits with code 3 when the walk-forward's verdict
is "reject".`;

/**
 * The usage of a command, or the overview.
 *
 * @param command a command name (the overview when absent or unknown)
 */
export function usageOf(command?: string): string {
  return (command && COMMAND_USAGE[command]) || USAGE;
}
