/**
 * The quick-iteration command line: `--set`, `--ticker` and `--from/--to` on run, validate and
 * optimize, recorded so that a run folder reproduces the run; `optimize --strict`.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSample } from "../lib/mod.ts";
import { runCli } from "./helpers/cli.ts";
import { assertSameOutputs } from "./helpers/outputs.ts";

const cli = (...args: string[]) => runCli(args);

const dir = mkdtempSync(join(tmpdir(), "mahler-cli-research-"));
const data = join(dir, "data");
generateSample({ outDir: data, start: "2024-01-02", end: "2024-06-28", seed: 3 });
const TEST_CONFIG = Deno.readTextFileSync("config/test_config.toml");

const sameOutputs = (a: string, b: string) =>
  assertSameOutputs(a, b, ["params.toml", "trades.parquet"]);

Deno.test("run --set exit.profit_target_pct=0.6 writes what the same change in the file writes", async () => {
  assert.match(TEST_CONFIG, /^profit_target_pct = 0\.50$/m);
  const edited = join(dir, "edited.toml");
  writeFileSync(
    edited,
    TEST_CONFIG.replace(/^profit_target_pct = 0\.50$/m, "profit_target_pct = 0.6"),
  );
  const viaFile = join(dir, "run-file");
  const viaSet = join(dir, "run-set");
  const a = await cli("run", "--config", edited, "--data", data, "--out", viaFile);
  assert.equal(a.code, 0, a.stderr);
  const b = await cli(
    "run",
    "--config",
    "config/test_config.toml",
    "--data",
    data,
    "--out",
    viaSet,
    "--set",
    "exit.profit_target_pct=0.6",
  );
  assert.equal(b.code, 0, b.stderr);
  sameOutputs(viaFile, viaSet);
  assert.match(readFileSync(join(viaSet, "params.toml"), "utf8"), /^profit_target_pct = 0\.6$/m);
  const manifest = JSON.parse(readFileSync(join(viaSet, "manifest.json"), "utf8"));
  assert.deepEqual(manifest.overrides, { ticker: null, set: ["exit.profit_target_pct=0.6"] });
  assert.equal(manifest.config.exit.profit_target_pct, 0.6);
  // The folder alone reproduces the run: validate its params.toml over the same days.
  const again = join(dir, "run-again");
  const c = await cli(
    "validate",
    "--params",
    join(viaSet, "params.toml"),
    "--data",
    data,
    "--out",
    again,
  );
  assert.equal(c.code, 0, c.stderr);
  sameOutputs(viaSet, again);
});

Deno.test("optimize --set changes the grid's base and the windows as the file would", async () => {
  const edited = join(dir, "edited-wf.toml");
  writeFileSync(
    edited,
    TEST_CONFIG.replace(/^min_credit_pct = 0\.10 *$/m, "min_credit_pct = 0.12")
      .replace(/^train_months = 2$/m, "train_months = 3"),
  );
  const viaFile = join(dir, "opt-file");
  const viaSet = join(dir, "opt-set");
  const a = await cli("optimize", "--config", edited, "--data", data, "--out", viaFile);
  assert.equal(a.code, 0, a.stderr);
  const b = await cli(
    "optimize",
    "--config",
    "config/test_config.toml",
    "--data",
    data,
    "--out",
    viaSet,
    "--set",
    "entry.min_credit_pct=0.12",
    "--set",
    "walk_forward.train_months=3",
  );
  assert.equal(b.code, 0, b.stderr);
  sameOutputs(viaFile, viaSet);
  const wf = JSON.parse(readFileSync(join(viaSet, "walk_forward.json"), "utf8"));
  assert.equal(wf.settings.train_months, 3);
});

Deno.test("--ticker trades only the given underlyings, recorded in the manifest and params.toml", async () => {
  const out = join(dir, "run-spy");
  const r = await cli(
    "run",
    "--config",
    "config/test_config.toml",
    "--data",
    data,
    "--out",
    out,
    "--ticker",
    "SPY",
    "--from",
    "2024-02-01",
  );
  assert.equal(r.code, 0, r.stderr);
  const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
  assert.deepEqual(Object.keys(metrics.by_underlying), ["SPY"]);
  assert.equal(metrics.first_date, "2024-02-01");
  assert.match(readFileSync(join(out, "params.toml"), "utf8"), /^underlying = "SPY"$/m);
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  assert.deepEqual(manifest.overrides, { ticker: ["SPY"], set: [] });
  assert.equal(manifest.from, "2024-02-01");
});

Deno.test("--ticker is the one spelling of the underlyings on every command, --underlyings its alias", async () => {
  const inspect = async (...flags: string[]) => {
    const r = await cli("inspect", "--data", data, "--json", ...flags);
    return { code: r.code, stderr: r.stderr, report: r.code === 0 ? JSON.parse(r.stdout) : null };
  };
  const ticker = await inspect("--ticker", "QQQ");
  assert.equal(ticker.code, 0, ticker.stderr);
  assert.deepEqual(ticker.report.underlyings, ["QQQ"]);
  const alias = await inspect("--underlyings", "QQQ");
  assert.deepEqual(alias.report, ticker.report);
  const both = await inspect("--ticker", "QQQ", "--underlyings", "SPY");
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--ticker and --underlyings are the same flag/);
  const empty = await inspect("--ticker", "SPY,");
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /--ticker needs tickers separated by commas, got "SPY,"/);
  const out = join(dir, "run-alias");
  const run = await cli(
    "run",
    "--config",
    "config/test_config.toml",
    "--data",
    data,
    "--out",
    out,
    "--underlyings",
    "SPY",
    "--from",
    "2024-02-01",
  );
  assert.equal(run.code, 0, run.stderr);
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  assert.deepEqual(manifest.overrides, { ticker: ["SPY"], set: [] });
  sameOutputs(join(dir, "run-spy"), out);
});

Deno.test("a bad --set is an error naming the flag and the key, before any data is read", async () => {
  const typo = await cli(
    "run",
    "--config",
    "config/test_config.toml",
    "--data",
    join(dir, "nowhere"),
    "--set",
    "exit.profit_targt_pct=0.6",
  );
  assert.equal(typo.code, 1);
  assert.match(
    typo.stderr,
    /config\/test_config\.toml with --set exit\.profit_targt_pct=0\.6: exit\.profit_targt_pct: unknown key, did you mean profit_target_pct\?/,
  );
  const range = await cli(
    "optimize",
    "--config",
    "config/test_config.toml",
    "--data",
    join(dir, "nowhere"),
    "--set",
    "risk.daily_loss_pct=[0.02]",
  );
  assert.equal(range.code, 1);
  assert.match(
    range.stderr,
    /--set risk\.daily_loss_pct=\[0\.02\]: risk\.daily_loss_pct: Expected number/,
  );
  const form = await cli(
    "run",
    "--config",
    "config/test_config.toml",
    "--data",
    data,
    "--set",
    "exit",
  );
  assert.equal(form.code, 1);
  assert.match(form.stderr, /--set exit: Expected section\.key=value/);
  const wf = await cli(
    "optimize",
    "--config",
    "config/test_config.toml",
    "--data",
    data,
    "--set",
    "walk_forward.trian_months=3",
  );
  assert.equal(wf.code, 1);
  assert.match(
    wf.stderr,
    /with --set walk_forward\.trian_months=3: walk_forward\.trian_months: unknown key, did you mean train_months\?/,
  );
});

Deno.test("optimize prints WFE, the guards and the verdict; --strict exits 3 on reject", async () => {
  const strict = join(dir, "opt-strict");
  const r = await cli(
    "optimize",
    "--config",
    "config/test_config.toml",
    "--data",
    data,
    "--out",
    strict,
    "--strict",
  );
  assert.equal(r.code, 3, r.stderr);
  assert.match(
    r.stdout,
    /Grid: 4 combinations; a 2-month training window supports at most 1 independent trial /,
  );
  assert.match(r.stderr, /Warning: 4 combinations exceed/);
  assert.match(
    r.stdout,
    /Walk-forward efficiency \(mean test Sharpe \/ mean train Sharpe over the \d+ periods? with a selection/,
  );
  assert.match(r.stdout, /WFE \(ratio of means\) +(-?[\d.]+|n\/a) > 0\.50 +(pass|FAIL)/);
  assert.match(r.stdout, /trades per test window +[\d.]+ >= 20\.0 +FAIL/);
  assert.match(r.stdout, /Verdict: reject \(failed: [a-z_, ]*trades_per_window/);
  const wf = JSON.parse(readFileSync(join(strict, "walk_forward.json"), "utf8"));
  assert.equal(wf.verdict.verdict, "reject");
  assert.ok(wf.verdict.failed.includes("trades_per_window"));
  assert.equal(wf.verdict.guards.length, 5);
  // Without --strict the same verdict exits 0; guards loose enough pass.
  const loose = await cli(
    "optimize",
    "--config",
    "config/test_config.toml",
    "--data",
    data,
    "--out",
    join(dir, "opt-loose"),
    "--strict",
    "--set",
    "walk_forward.guards={ min_wfe = -1000, min_mean_oos_sharpe = -1000, min_trades_per_window = 0, min_win_rate = 0, max_drawdown_pct = 1 }",
  );
  assert.equal(loose.code, 0, loose.stderr);
  assert.match(loose.stdout, /Verdict: pass/);
  const plain = await cli(
    "optimize",
    "--config",
    "config/test_config.toml",
    "--data",
    data,
    "--out",
    join(dir, "opt-plain"),
  );
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /Verdict: reject/);
});

Deno.test("optimize --from/--to walks forward over that span only", async () => {
  const out = join(dir, "opt-window");
  const r = await cli(
    "optimize",
    "--config",
    "config/test_config.toml",
    "--data",
    data,
    "--out",
    out,
    "--from",
    "2024-02-01",
    "--to",
    "2024-05-31",
  );
  assert.equal(r.code, 0, r.stderr);
  const wf = JSON.parse(readFileSync(join(out, "walk_forward.json"), "utf8"));
  // Four months: February-March train, April validates, May tests: one period.
  assert.equal(wf.periods.length, 1);
  assert.equal(wf.periods[0].train.first_trading_day, "2024-02-01");
  assert.equal(wf.periods[0].test.last_trading_day, "2024-05-31");
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  assert.deepEqual([manifest.from, manifest.to], ["2024-02-01", "2024-05-31"]);
});
