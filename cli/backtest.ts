/**
 * `run` and `validate`: one backtest of a configuration (or a params.toml) on a data path,
 * written as a run folder (lib/app runConfig and validateParams); `run --slippage-sweep` adds the
 * slippage sensitivity. A run that enters nothing says so and names the entry filter that
 * stopped every candidate.
 *
 * @module
 */
import {
  type BacktestRun,
  type BacktestRunOptions,
  blockingFilter,
  type EntryFunnel,
  type Metrics,
  runConfig,
  type SimParams,
  type SlippageSweep,
  targetLines,
  validateParams,
} from "../lib/core.ts";
import {
  dateFlag,
  fixed2,
  OUT_FLAGS,
  outputOf,
  parseFlags,
  percent,
  requiredFlag,
} from "./args.ts";
import { OVERRIDE_FLAGS, overridesOf } from "./overrides.ts";
import { commandProgress } from "./progress.ts";

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
  // The risk rules' day filters, where on.
  const rules = ([
    ["iv_rank", "the IV rank"],
    ["iv_hv_ratio", "the IV / HV ratio"],
    ["vix", "the VIX band"],
    ["contango", "contango"],
  ] as const).filter(([k]) => funnel[k] !== undefined).map(([k, w]) =>
    `, ${n(funnel[k]!)} past ${w}`
  ).join("");
  const skips = ([
    ["net_delta_skips", "max_net_delta_pct"],
    ["net_theta_skips", "min_net_theta"],
    ["underlying_risk_skips", "max_risk_per_underlying_pct"],
    ["volume_share_skips", "max_volume_share"],
  ] as const).filter(([k]) => funnel[k] !== undefined).map(([k, w]) =>
    `, ${n(funnel[k]!)} skipped by ${w}`
  ).join("");
  return `Entry funnel: ${n(funnel.scans)} underlying-days scanned, ${
    n(funnel.iv_percentile)
  } past the IV percentile${rules}, ${n(funnel.dte)} expiries in the DTE band, ${
    n(funnel.short_delta)
  } short legs in the delta band (${n(funnel.short_liquidity)} liquid), ${
    n(funnel.width)
  } spreads in the width band, ${n(funnel.min_credit)} with enough credit, ${
    n(funnel.long_liquidity)
  } with a liquid long leg${skips}.`;
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

/** Runs `run` or `validate` with progress on stderr; prints a short summary. */
async function backtest(
  run: (options: BacktestRunOptions) => Promise<BacktestRun>,
  options: BacktestRunOptions,
): Promise<void> {
  const progress = commandProgress();
  let done: BacktestRun;
  try {
    done = await run({
      ...options,
      ...progress.callbacks,
      onBacktest: ({ days, first, last }) =>
        console.error(`Backtesting ${days} trading days, ${first} to ${last} ...`),
      onSweep: (fractions) => console.error(`Slippage sweep over ${fractions} fractions ...`),
    });
  } finally {
    progress.stop();
  }
  const { result, sweep } = done;
  if (sweep) printSweep(sweep);
  console.log(metricsLine(result.metrics));
  for (const line of targetLines(result.metrics.targets)) console.log(line);
  if (result.metrics.trade_count === 0) {
    for (const line of noTradeLines(result.raw.funnel, result.params)) console.log(line);
  }
  console.log(
    `Wrote trades.parquet, trade_legs.parquet, metrics.json, equity_curve.csv, params.toml, ` +
      `manifest.json, data_quality.json${sweep ? ", slippage_sweep.json" : ""} to ${
        options.out!.dir
      }`,
  );
}

/** The flags `run` and `validate` share: data, output folder, window and overrides. */
const DATA_OUT_WINDOW = {
  data: { type: "string" },
  ...OUT_FLAGS,
  from: { type: "string" },
  to: { type: "string" },
  ...OVERRIDE_FLAGS,
} as const;

/** The options `run` and `validate` share, from their parsed flags. */
function runOptions(
  command: "run" | "validate",
  configPath: string,
  v: Record<string, unknown>,
): BacktestRunOptions {
  const dataPath = requiredFlag(command, "data PATH", v.data);
  const from = dateFlag("from", v.from);
  const to = dateFlag("to", v.to);
  const { out, force } = outputOf(command, v);
  return {
    configPath,
    dataPath,
    from,
    to,
    out: { dir: out, replace: force },
    overrides: overridesOf(v),
  };
}

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
  const options = runOptions("run", config, v);
  await backtest(runConfig, { ...options, slippageSweep: Boolean(v["slippage-sweep"]) });
}

/** `validate --params FILE --data PATH [--out DIR] [--from] [--to] [--ticker] [--set K=V]...`. */
export async function validateCommand(args: string[]): Promise<void> {
  const v = parseFlags(args, { params: { type: "string" }, ...DATA_OUT_WINDOW });
  const params = requiredFlag("validate", "params FILE", v.params);
  await backtest(validateParams, runOptions("validate", params, v));
}
