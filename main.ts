/**
 * Mahler command line.
 *
 *   mahler                      the main job on the sample data (generated on first use)
 *   mahler optimize [--config FILE] [--data PATH] [--out DIR] [--workers N]
 *   mahler run --config FILE --data PATH --out DIR [--from DATE] [--to DATE] [--slippage-sweep]
 *   mahler validate --params FILE --data PATH --out DIR [--from DATE] [--to DATE]
 *   mahler export --run DIR --format csv|json
 *   mahler inspect --data PATH [--json]
 *   mahler sample [--out DIR] [--seed N]
 *   mahler report [--notebooks DIR] [--out DIR] [--only NAMES]
 *
 * Each command lives in cli/. Unknown commands, unknown flags and bad values exit with code 2
 * and the usage on stderr; bad data, configuration or a missing tool exit with code 1 and a
 * message naming the file, row (or day, or key) and column.
 *
 * @module
 */
import { ConfigError, DataError } from "./lib/mod.ts";
import { ToolError, UsageError } from "./cli/args.ts";
import { runCommand, validateCommand } from "./cli/backtest.ts";
import { exportCommand } from "./cli/export.ts";
import { inspectCommand } from "./cli/inspect.ts";
import { optimizeCommand } from "./cli/optimize.ts";
import { reportCommand } from "./cli/report.ts";
import { SAMPLE_DIR, sampleCommand } from "./cli/sample.ts";

const USAGE = `Usage: mahler <command> [options]

Commands:
  (none)     Walk-forward optimize config/default.toml on the sample data into
             results/optimize-<timestamp> (generates ${SAMPLE_DIR} on first use)
  optimize   Walk-forward optimization of the [walk_forward.grid] on Web Workers
             --config FILE  strategy TOML (default config/default.toml)
             --data PATH    data (default ${SAMPLE_DIR}, generated when absent)
             --out DIR      output folder (default results/optimize-<timestamp>)
             --workers N    worker count (default: number of cores)
  run        Backtest a configuration
             --config FILE  strategy TOML (required)
             --data PATH    chain file, directory or data directory (required)
             --out DIR      output folder (required)
             --from DATE    first day, YYYY-MM-DD (default: first day of the data)
             --to DATE      last day, YYYY-MM-DD (default: last day of the data)
             --slippage-sweep  also re-run over [diagnostics] slippage_sweep fractions
                            and report where the edge disappears (slippage_sweep.json)
  validate   Run fixed parameters (a params.toml from run or optimize) on a period
             --params FILE  --data PATH  --out DIR  [--from DATE] [--to DATE]
  export     Write DIR/trades.csv or DIR/trades.json from DIR/trades.parquet
             --run DIR  --format csv|json
  inspect    Data-quality report of a data path (missing NYSE sessions included)
             --data PATH   chain file, directory of chain files, or data directory (required)
             --json        print the report as JSON
             --config FILE load as this configuration would (underlyings, DTE limit, [data])
             --from DATE, --to DATE  only these days
             --underlyings LIST  only these tickers, e.g. SPY,QQQ
             --no-cache    read the files even when the cache holds them
  sample     Generate the deterministic sample market
             --out DIR     output directory (default ${SAMPLE_DIR}; data/full for --profile full)
             --seed N      integer seed (default 42)
             --profile P   sample (default) or full: SPY/QQQ/IWM at ORATS density, about 60 M rows
             --from DATE, --to DATE  date range (full: default 2007-01-01 to 2023-12-31)
  report     Execute every notebook with Jupyter (Deno kernel) and write reports/<name>.html
             --notebooks DIR  notebooks folder (default notebooks)
             --out DIR        output folder (default reports)
             --only NAMES     comma-separated notebook names (default all)
  help       Show this message
`;

/** Runs one command line; resolves to the exit code. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case "optimize":
      await optimizeCommand(rest);
      return 0;
    case "run":
      await runCommand(rest);
      return 0;
    case "validate":
      await validateCommand(rest);
      return 0;
    case "export":
      exportCommand(rest);
      return 0;
    case "inspect":
      await inspectCommand(rest);
      return 0;
    case "sample":
      await sampleCommand(rest);
      return 0;
    case "report":
      await reportCommand(rest);
      return 0;
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(`Unknown command ${JSON.stringify(command)}`);
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`Error: ${err.message}\n\n${USAGE}`);
      Deno.exit(2);
    }
    if (
      err instanceof DataError || err instanceof ConfigError || err instanceof RangeError ||
      err instanceof ToolError
    ) {
      console.error(`Error: ${err.message}`);
      Deno.exit(1);
    }
    throw err;
  }
}
