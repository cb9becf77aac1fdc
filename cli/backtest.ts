/**
 * `run` and `validate`: one backtest of a configuration (or a params.toml) on a data path,
 * written as a run folder; `run --slippage-sweep` adds the slippage sensitivity. A run that
 * enters nothing says so and names the entry filter that stopped every candidate.
 *
 * @module
 */
import {
  blockingFilter,
  dayToIso,
  type EntryFunnel,
  type Metrics,
  type OutputFile,
  qualityReport,
  runBacktest,
  runOutputFiles,
  type SimParams,
  type SlippageSweep,
  slippageSweep,
  toJson,
  windowIndexes,
  writeRunFiles,
} from "../lib/core.ts";
import {
  dateFlag,
  fixed2,
  OUT_FLAGS,
  outputOf,
  parseFlags,
  percent,
  requiredFlag,
  stopwatch,
} from "./args.ts";
import { loadStoreForCommand } from "./load.ts";
import { configWithOverrides, OVERRIDE_FLAGS } from "./overrides.ts";

/** Prints the sweep's table and where the edge disappears. */
function printSweep(sweep: SlippageSweep): void {
  console.log("slippage  trades   total P&L   Sharpe");
  for (const p of sweep.points) {
    console.log(
      `${p.slippage.toFixed(2).padStart(8)}  ${String(p.trades).padStart(6)}  ${
        p.total_pnl.toFixed(2).padStart(10)
      }   ${fixed2(p.sharpe)}`,
    );
  }
  const at = (x: number | null) => (x === null ? "beyond the range tested" : x.toFixed(3));
  console.log(
    `Edge disappears at slippage ${at(sweep.pnl_break_even)} (P&L) / ${
      at(sweep.sharpe_break_even)
    } (Sharpe)`,
  );
}

/**
 * The entry funnel in one line: what passed each filter.
 *
 * @param funnel a run's entry funnel
 */
export function funnelLine(funnel: EntryFunnel): string {
  const n = (x: number) => x.toLocaleString("en-US");
  return `Entry funnel: ${n(funnel.scans)} underlying-days scanned, ${
    n(funnel.iv_percentile)
  } past the IV percentile, ${n(funnel.dte)} expiries in the DTE band, ${
    n(funnel.short_delta)
  } short legs in the delta band (${n(funnel.short_liquidity)} liquid), ${
    n(funnel.width)
  } spreads in the width band, ${n(funnel.min_credit)} with enough credit, ${
    n(funnel.long_liquidity)
  } with a liquid long leg.`;
}

/**
 * The lines that explain a run without trades: the filter that stopped every candidate and
 * the entry funnel.
 *
 * @param funnel the run's entry funnel
 * @param params the parameters (thresholds) of the run
 */
export function noTradeLines(funnel: EntryFunnel, params: SimParams): string[] {
  return [
    `No position was entered. Stopped by ${blockingFilter(funnel, params)}.`,
    funnelLine(funnel),
  ];
}

/** The one-line summary of a run's metrics (over its tradable span). */
export function metricsLine(m: Metrics): string {
  const warmup = m.warmup_days > 0 ? ` (after ${m.warmup_days} warm-up days)` : "";
  return `${m.trade_count} trades ${m.first_date} to ${m.last_date}${warmup}: P&L $${
    m.total_pnl.toFixed(2)
  } (${percent(m.total_return)}), win rate ${percent(m.win_rate)}, Sharpe ${
    fixed2(m.sharpe)
  }, max drawdown ${percent(m.max_drawdown)}`;
}

/** Loads, backtests and writes a run folder; prints a short summary. */
async function backtest(
  command: "run" | "validate",
  configPath: string,
  dataPath: string,
  output: { out: string; force: boolean },
  window: { from?: string; to?: string },
  sweep: boolean,
  flags: Record<string, unknown>,
): Promise<void> {
  const { out, force } = output;
  const clock = stopwatch();
  const { config, overrides } = configWithOverrides(configPath, flags);
  const { store, files } = await loadStoreForCommand(dataPath, { config, ...window });
  clock.lap("load");
  const quality = qualityReport(store);
  clock.lap("data_quality");
  const { fromIndex, toIndex } = windowIndexes(store, window.from, window.to);
  console.error(
    `Backtesting ${toIndex - fromIndex + 1} trading days, ${dayToIso(store.calendar[fromIndex])} ` +
      `to ${dayToIso(store.calendar[toIndex])} ...`,
  );
  const result = runBacktest(store, config, window);
  clock.lap("backtest");
  const extra: OutputFile[] = [];
  if (sweep) {
    console.error(`Slippage sweep over ${config.diagnostics.slippage_sweep.length} fractions ...`);
    const swept = slippageSweep(store, config, window);
    clock.lap("slippage_sweep");
    extra.push({ name: "slippage_sweep.json", text: toJson(swept) });
    printSweep(swept);
  }
  writeRunFiles(out, [
    ...runOutputFiles(result, config, quality, {
      command,
      inputFiles: [configPath, ...files],
      timings: clock.timings,
      extra: { from: window.from ?? null, to: window.to ?? null, overrides },
    }),
    ...extra,
  ], { replace: force });
  console.log(metricsLine(result.metrics));
  if (result.metrics.trade_count === 0) {
    for (const line of noTradeLines(result.raw.funnel, result.params)) console.log(line);
  }
  console.log(
    `Wrote trades.parquet, trade_legs.parquet, metrics.json, equity_curve.csv, params.toml, ` +
      `manifest.json, ` +
      `data_quality.json${sweep ? ", slippage_sweep.json" : ""} to ${out}`,
  );
}

/** The flags `run` and `validate` share: data, output folder and window. */
const DATA_OUT_WINDOW = {
  data: { type: "string" },
  ...OUT_FLAGS,
  from: { type: "string" },
  to: { type: "string" },
  ...OVERRIDE_FLAGS,
} as const;

/**
 * `run --config FILE --data PATH [--out DIR] [--from] [--to] [--ticker T[,T]] [--set K=V]...
 * [--slippage-sweep]`.
 */
export async function runCommand(args: string[]): Promise<void> {
  const v = parseFlags(args, {
    config: { type: "string" },
    ...DATA_OUT_WINDOW,
    "slippage-sweep": { type: "boolean" },
  });
  const config = requiredFlag("run", "config FILE", v.config);
  const data = requiredFlag("run", "data PATH", v.data);
  const window = { from: dateFlag("from", v.from), to: dateFlag("to", v.to) };
  const sweep = Boolean(v["slippage-sweep"]);
  await backtest("run", config, data, outputOf("run", v), window, sweep, v);
}

/** `validate --params FILE --data PATH [--out DIR] [--from] [--to] [--ticker] [--set K=V]...`. */
export async function validateCommand(args: string[]): Promise<void> {
  const v = parseFlags(args, { params: { type: "string" }, ...DATA_OUT_WINDOW });
  const params = requiredFlag("validate", "params FILE", v.params);
  const data = requiredFlag("validate", "data PATH", v.data);
  const window = { from: dateFlag("from", v.from), to: dateFlag("to", v.to) };
  await backtest("validate", params, data, outputOf("validate", v), window, false, v);
}
