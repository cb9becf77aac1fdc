/**
 * Byte-for-byte comparison of every output of `run` and `optimize` between two versions of
 * Mahler, for changes that must leave results unchanged (manifest.json aside: it records
 * timings and the time of the run).
 *
 * The cases: `run` and `optimize` of every configuration in config/, plus `run` variants that
 * reach the rest of a vertical's engine (bear calls, the fill trigger, several entries a day,
 * circuit breakers with VIX-rank sizing, the slippage sweep, and default.toml at
 * min_credit_pct = 0.10 so that it trades on the sample).
 *
 * Usage:
 *   deno run -A scripts/compare_vertical_outputs.ts record OUT_DIR [--data DIR]
 *   deno run -A scripts/compare_vertical_outputs.ts compare BEFORE_DIR AFTER_DIR
 *   deno run -A scripts/compare_vertical_outputs.ts --before REV [--data DIR] [--keep DIR]
 *
 * `record` runs every case with this checkout into OUT_DIR/<case>/. `compare` compares two
 * recorded folders file by file. `--before REV` checks REV out in a scratch git worktree,
 * records both versions on the same data (default data/sample) and compares them; `--keep DIR`
 * keeps the two recordings in DIR/before and DIR/after. Exit code 0 when every file of every
 * case that the version before wrote is identical after (files only the version after writes,
 * such as a new output, are listed as new), 1 otherwise.
 *
 * @module
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";

/** One command to record: a name (the folder) and the arguments after main.ts. */
interface Case {
  name: string;
  args: string[];
}

/** The cases for a checkout: every configuration in its config/, run and optimize, and variants. */
function casesOf(checkout: string, data: string): Case[] {
  const configs = readdirSync(join(checkout, "config")).filter((f) => f.endsWith(".toml")).sort();
  const cases: Case[] = [];
  for (const file of configs) {
    const name = basename(file, ".toml");
    const config = `config/${file}`;
    cases.push({ name: `run-${name}`, args: ["run", "--config", config, "--data", data] });
    cases.push({
      name: `optimize-${name}`,
      args: ["optimize", "--config", config, "--data", data],
    });
  }
  const sample = ["--config", "config/sample.toml", "--data", data];
  const set = (...kv: string[]) => kv.flatMap((x) => ["--set", x]);
  cases.push(
    {
      name: "run-sample-bear_call",
      args: ["run", ...sample, ...set("strategy.strategy_type=bear_call_spread")],
    },
    {
      name: "run-sample-fill_trigger",
      args: ["run", ...sample, ...set("simulation.exit_trigger=fill")],
    },
    {
      name: "run-sample-three_a_day",
      args: [
        "run",
        ...sample,
        ...set("simulation.max_entries_per_day=3", "position_sizing.max_positions=8"),
      ],
    },
    {
      name: "run-sample-breakers_vix_rank",
      args: [
        "run",
        ...sample,
        ...set(
          "risk.daily_loss_pct=0.01",
          "risk.weekly_loss_pct=0.02",
          "risk.vix_halt_level=30",
          "position_sizing.sizing=vix_rank",
        ),
      ],
    },
    {
      name: "run-test_config-sweep",
      args: ["run", "--config", "config/test_config.toml", "--data", data, "--slippage-sweep"],
    },
    {
      name: "run-default-credit_0.10",
      args: [
        "run",
        "--config",
        "config/default.toml",
        "--data",
        data,
        ...set("entry.min_credit_pct=0.10"),
      ],
    },
    {
      name: "optimize-test_config-bear_call",
      args: [
        "optimize",
        "--config",
        "config/test_config.toml",
        "--data",
        data,
        ...set("strategy.strategy_type=bear_call_spread"),
      ],
    },
  );
  return cases;
}

/** Runs main.ts of a checkout; throws with its stderr when it fails. */
function mahler(cwd: string, args: string[]): void {
  const out = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", ...args],
    cwd,
    stdout: "null",
    stderr: "piped",
  }).outputSync();
  if (!out.success) {
    throw new Error(`${args.join(" ")} failed in ${cwd}:\n${new TextDecoder().decode(out.stderr)}`);
  }
}

/** Records every case of a checkout into outDir/<case>/. */
export function record(checkout: string, outDir: string, data: string): void {
  mkdirSync(outDir, { recursive: true });
  for (const c of casesOf(checkout, data)) {
    const started = performance.now();
    mahler(checkout, [...c.args, "--out", join(resolve(outDir), c.name), "--force"]);
    console.error(`${c.name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** Compares two recordings file by file; returns the differences (empty: identical). */
export function compare(before: string, after: string): string[] {
  const out: string[] = [];
  const cases = readdirSync(before).sort();
  for (const c of cases) {
    const a = join(before, c), b = join(after, c);
    if (!existsSync(b)) {
      out.push(`${c}: missing after`);
      continue;
    }
    const files = readdirSync(a).filter((f) => f !== "manifest.json").sort();
    const filesAfter = readdirSync(b).filter((f) => f !== "manifest.json").sort();
    const added = filesAfter.filter((f) => !files.includes(f));
    let same = 0;
    for (const f of files) {
      if (!filesAfter.includes(f)) out.push(`${c}/${f}: missing after`);
      else if (!readFileSync(join(a, f)).equals(readFileSync(join(b, f)))) {
        out.push(`${c}/${f}: differs`);
      } else same++;
    }
    console.log(
      `${c}: ${same} of ${files.length} files identical` +
        (added.length ? ` (new: ${added.join(", ")})` : ""),
    );
  }
  return out;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      before: { type: "string" },
      data: { type: "string", default: "data/sample" },
      keep: { type: "string" },
    },
  });
  const data = resolve(values.data);
  let differences: string[];
  if (positionals[0] === "record" && positionals[1]) {
    record(Deno.cwd(), positionals[1], data);
    Deno.exit(0);
  } else if (positionals[0] === "compare" && positionals[1] && positionals[2]) {
    differences = compare(positionals[1], positionals[2]);
  } else if (values.before) {
    const scratch = mkdtempSync(join(tmpdir(), "mahler-vertical-"));
    const checkout = join(scratch, "checkout");
    const keep = values.keep ? resolve(values.keep) : scratch;
    const git = (args: string[]) => new Deno.Command("git", { args }).outputSync();
    if (!git(["worktree", "add", "--detach", checkout, values.before]).success) {
      throw new Error(`Cannot check out ${values.before}`);
    }
    try {
      if (existsSync(resolve("node_modules"))) {
        symlinkSync(resolve("node_modules"), join(checkout, "node_modules"));
      }
      record(checkout, join(keep, "before"), data);
      record(Deno.cwd(), join(keep, "after"), data);
      differences = compare(join(keep, "before"), join(keep, "after"));
    } finally {
      git(["worktree", "remove", "--force", checkout]);
      if (!values.keep) rmSync(scratch, { recursive: true, force: true });
    }
  } else {
    console.error(
      "Usage: compare_vertical_outputs.ts record OUT_DIR | compare BEFORE AFTER | --before REV",
    );
    Deno.exit(2);
  }
  for (const d of differences) console.log(`  ${d}`);
  console.log(differences.length ? `${differences.length} differences` : "All files identical.");
  Deno.exit(differences.length ? 1 : 0);
}
