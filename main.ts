/**
 * Mahler command line: `mahler <command> [options]`. Each command lives in cli/ and its usage in
 * cli/usage.ts; this module only dispatches.
 *
 *   mahler optimize [--config FILE] [--data PATH] [--out DIR] [--force] [--workers N]
 *                   [--from DATE] [--to DATE] [--ticker T[,T]] [--set KEY=VALUE]... [--strict]
 *   mahler run --config FILE --data PATH [--out DIR] [--force] [--from DATE] [--to DATE]
 *              [--ticker T[,T]] [--set KEY=VALUE]... [--slippage-sweep]
 *   mahler validate --params FILE --data PATH [--out DIR] [--force] [--from DATE] [--to DATE]
 *                   [--ticker T[,T]] [--set KEY=VALUE]...
 *   mahler export --run DIR --format csv|json|ndjson [--table TABLE] [--out DIR] [--force]
 *   mahler inspect --data PATH [--json] [--ticker T[,T]]
 *   mahler sample [--out DIR] [--seed N]
 *   mahler report [--notebooks DIR] [--out DIR] [--only NAMES]
 *   mahler help [command]       (also: mahler <command> --help)
 *
 * `--output` is accepted for `--out`; without either, a command writes to
 * results/<command>-<timestamp>. An existing non-empty output folder is refused unless `--force`
 * replaces it whole; the folder is checked before any data is loaded. With no command, the usage
 * is printed and nothing runs.
 * Unknown commands, unknown flags and bad values exit with code 2 and the usage on stderr; bad
 * data, configuration, an unusable output folder, a file-system error or a missing tool exit with
 * code 1 and a one-line message naming the file, row (or day, or key) and column; a damaged cache
 * entry (rebuilt) or a cache that cannot be written (done without) is a one-line warning;
 * `optimize --strict` exits with code 3 when the walk-forward's verdict is "reject".
 *
 * @module
 */
import { onCacheWarning } from "./lib/core.ts";
import { errorReport } from "./cli/errors.ts";
import { UsageError } from "./cli/args.ts";
import { runCommand, validateCommand } from "./cli/backtest.ts";
import { exportCommand } from "./cli/export.ts";
import { inspectCommand } from "./cli/inspect.ts";
import { optimizeCommand } from "./cli/optimize.ts";
import { reportCommand } from "./cli/report.ts";
import { sampleCommand } from "./cli/sample.ts";
import { COMMAND_USAGE, USAGE, usageOf } from "./cli/usage.ts";

/** The commands, by name. */
const COMMANDS: Record<
  string,
  (args: string[]) => void | number | Promise<void | number>
> = {
  optimize: optimizeCommand,
  run: runCommand,
  validate: validateCommand,
  export: exportCommand,
  inspect: inspectCommand,
  sample: sampleCommand,
  report: reportCommand,
};

/** Runs one command line; resolves to the exit code. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    console.log(USAGE);
    return 0;
  }
  if (command === "help" || command === "--help" || command === "-h") {
    const topic = rest[0];
    if (topic !== undefined && !COMMAND_USAGE[topic]) {
      throw new UsageError(`Unknown command ${JSON.stringify(topic)}`);
    }
    console.log(usageOf(topic));
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`Unknown command ${JSON.stringify(command)}`);
  // The cache never fails a command: a damaged entry is rebuilt, a cache that cannot be written
  // is done without; either is said in one line.
  onCacheWarning((line) => console.error(`Warning: ${line}`));
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(usageOf(command));
    return 0;
  }
  return (await run(rest)) ?? 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`Error: ${err.message}\n\n${usageOf(Deno.args[0])}`);
      Deno.exit(2);
    }
    const report = errorReport(err);
    if (report === null) throw err;
    console.error(`Error: ${report}`);
    Deno.exit(1);
  }
}
