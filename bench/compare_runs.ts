/**
 * Compares the outputs of two versions of Mahler on the same configuration and data: the trade
 * log trade by trade (matched on underlying, entry date, expiry and strikes), the equity curve
 * day by day, and every metric. Renamed and new columns are expected (trade_id, strategy_type
 * -> spread_type, commissions -> commission, the added fields), and so is average_loss, now
 * taken over losing trades only; anything else that differs is listed, trades first.
 *
 * Usage:
 *   deno run -A bench/compare_runs.ts OLD_RUN_DIR NEW_RUN_DIR
 *   deno run -A bench/compare_runs.ts --before REV [--config FILE] [--data DIR] [--optimize]
 *
 * The second form checks out REV (a commit, e.g. the one before a change) in a scratch git
 * worktree, runs `run` (and `optimize` with --optimize) with both versions on the same
 * configuration (default config/sample.toml) and data (default data/sample), and compares.
 * Exit code 0 when nothing but the expected differences was found, 1 otherwise.
 *
 * @module
 */
import pl from "nodejs-polars";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

/** Columns compared between matched trades (old name -> new name). */
const TRADE_COLUMNS: Record<string, string> = {
  exit_date: "exit_date",
  exit_reason: "exit_reason",
  contracts: "contracts",
  entry_credit: "entry_credit",
  exit_debit: "exit_debit",
  commissions: "commission",
  pnl: "pnl",
  pnl_pct: "pnl_pct",
  max_loss: "max_loss",
  days_held: "days_held",
  dte_at_entry: "dte_at_entry",
  short_delta_at_entry: "short_delta_at_entry",
  iv_rank_at_entry: "iv_rank_at_entry",
  vix_at_entry: "vix_at_entry",
};

/** The equity curve's columns both versions write. */
const EQUITY_COLUMNS = ["date", "equity", "cash", "open_risk", "drawdown"];

type Row = Record<string, unknown>;

function tradeKey(r: Row): string {
  return [r.underlying, r.entry_date, r.expiration, r.short_strike, r.long_strike].join(" ");
}

function rows(path: string): Row[] {
  const frame = pl.readParquet(path);
  const dates = frame.columns.filter((c) => frame.getColumn(c).dtype.equals(pl.Date));
  return frame.withColumns(...dates.map((c) => pl.col(c).cast(pl.Utf8))).toRecords();
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") {
    return a === b || (Number.isNaN(a) && Number.isNaN(b));
  }
  return a === b;
}

/** Trades: matched, moved, added and removed. */
function compareTrades(oldDir: string, newDir: string): string[] {
  const before = rows(join(oldDir, "trades.parquet"));
  const after = rows(join(newDir, "trades.parquet"));
  const byKey = new Map(after.map((r) => [tradeKey(r), r]));
  const out: string[] = [];
  let matched = 0;
  for (const o of before) {
    const n = byKey.get(tradeKey(o));
    if (!n) {
      out.push(`removed: ${tradeKey(o)} (${o.exit_reason} ${o.exit_date}, P&L ${o.pnl})`);
      continue;
    }
    byKey.delete(tradeKey(o));
    matched++;
    const diffs = Object.entries(TRADE_COLUMNS).filter(([oc, nc]) => !same(o[oc], n[nc]));
    if (diffs.length) {
      out.push(
        `moved: ${tradeKey(o)}: ` +
          diffs.map(([oc, nc]) => `${nc} ${o[oc]} -> ${n[nc]}`).join(", "),
      );
    }
  }
  for (const n of byKey.values()) {
    out.push(`added: ${tradeKey(n)} (${n.exit_reason} ${n.exit_date}, P&L ${n.pnl})`);
  }
  console.log(
    `trades: ${before.length} before, ${after.length} after, ${matched} matched, ${out.length} differ`,
  );
  return out;
}

/** The equity curve's shared columns, day by day (as written, to the cent). */
function compareEquity(oldDir: string, newDir: string): string[] {
  const read = (dir: string) =>
    pl.readCSV(join(dir, "equity_curve.csv"), { inferSchemaLength: 0 }).select(...EQUITY_COLUMNS)
      .toRecords();
  const before = read(oldDir);
  const after = read(newDir);
  const out: string[] = [];
  if (before.length !== after.length) out.push(`days: ${before.length} -> ${after.length}`);
  before.forEach((o, i) => {
    const n = after[i];
    const diffs = EQUITY_COLUMNS.filter((c) => o[c] !== n?.[c]);
    if (diffs.length) {
      out.push(`${o.date}: ${diffs.map((c) => `${c} ${o[c]} -> ${n?.[c]}`).join(", ")}`);
    }
  });
  console.log(`equity curve: ${before.length} days, ${out.length} differ`);
  return out;
}

/**
 * Every value the old version wrote to a JSON file (metrics.json, walk_forward.json),
 * average_loss aside; numbers to 1e-9 relative.
 */
function compareJson(oldDir: string, newDir: string, file: string): string[] {
  const before = JSON.parse(readFileSync(join(oldDir, file), "utf8"));
  const after = JSON.parse(readFileSync(join(newDir, file), "utf8"));
  const out: string[] = [];
  let exact = 0, close = 0;
  const walk = (o: unknown, n: unknown, path: string) => {
    if (path.endsWith("average_loss")) return;
    if (o !== null && typeof o === "object") {
      for (const k of Object.keys(o)) {
        walk((o as Row)[k], (n as Row | undefined)?.[k], path ? `${path}.${k}` : k);
      }
    } else if (typeof o === "number" && typeof n === "number") {
      if (o === n) exact++;
      else if (Math.abs(o - n) <= 1e-9 * Math.max(Math.abs(o), Math.abs(n))) close++;
      else out.push(`${path}: ${o} -> ${n}`);
    } else if (o !== n) out.push(`${path}: ${JSON.stringify(o)} -> ${JSON.stringify(n)}`);
    else exact++;
  };
  walk(before, after, "");
  console.log(
    `${file}: ${exact} values identical, ${close} equal to 1e-9 relative (summation order), ${out.length} differ`,
  );
  return out;
}

/** Compares two run folders; returns the unexpected differences. */
export function compareRuns(oldDir: string, newDir: string): string[] {
  const sections: Array<[string, string[]]> = [
    ["trades", compareTrades(oldDir, newDir)],
    ["equity", compareEquity(oldDir, newDir)],
    ["metrics", compareJson(oldDir, newDir, "metrics.json")],
  ];
  if (existsSync(join(oldDir, "walk_forward.json"))) {
    sections.push(["walk_forward", compareJson(oldDir, newDir, "walk_forward.json")]);
  }
  const all: string[] = [];
  for (const [name, diffs] of sections) {
    for (const d of diffs.slice(0, 50)) console.log(`  ${name}: ${d}`);
    if (diffs.length > 50) console.log(`  ${name}: ... ${diffs.length - 50} more`);
    all.push(...diffs);
  }
  return all;
}

/** Runs a command of a checkout of Mahler. */
function mahler(cwd: string, args: string[]): void {
  const out = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", ...args],
    cwd,
    stdout: "inherit",
    stderr: "piped",
  }).outputSync();
  if (!out.success) {
    throw new Error(`${args[0]} failed in ${cwd}:\n${new TextDecoder().decode(out.stderr)}`);
  }
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      before: { type: "string" },
      config: { type: "string", default: "config/sample.toml" },
      data: { type: "string", default: "data/sample" },
      optimize: { type: "boolean", default: false },
    },
  });
  let differences: string[];
  if (values.before) {
    const scratch = mkdtempSync(join(tmpdir(), "mahler-compare-"));
    const checkout = join(scratch, "before");
    const git = (args: string[]) => new Deno.Command("git", { args }).outputSync();
    if (!git(["worktree", "add", "--detach", checkout, values.before]).success) {
      throw new Error(`Cannot check out ${values.before}`);
    }
    try {
      const config = resolve(values.config);
      const data = resolve(values.data);
      if (!existsSync(join(checkout, "node_modules"))) {
        symlinkSync(resolve("node_modules"), join(checkout, "node_modules"));
      }
      differences = [];
      const commands = values.optimize ? ["run", "optimize"] : ["run"];
      for (const command of commands) {
        const [oldDir, newDir] = ["before", "after"].map((v) => join(scratch, `${command}-${v}`));
        const args = [command, "--config", config, "--data", data, "--out"];
        console.log(`${command}: ${values.before} ...`);
        mahler(checkout, [...args, oldDir]);
        console.log(`${command}: this checkout ...`);
        mahler(Deno.cwd(), [...args, newDir]);
        console.log(`\n${command} (${values.config} on ${values.data}):`);
        differences.push(...compareRuns(oldDir, newDir));
      }
    } finally {
      git(["worktree", "remove", "--force", checkout]);
      rmSync(scratch, { recursive: true, force: true });
    }
  } else {
    if (positionals.length !== 2) {
      console.error("Usage: compare_runs.ts OLD_RUN_DIR NEW_RUN_DIR | --before REV [--optimize]");
      Deno.exit(2);
    }
    differences = compareRuns(positionals[0], positionals[1]);
  }
  console.log(
    differences.length
      ? `\n${differences.length} differences beyond the renamed and new columns and average_loss`
      : "\nUnchanged apart from the renamed and new columns and average_loss",
  );
  Deno.exit(differences.length ? 1 : 0);
}
