import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./helpers/cli.ts";

const cli = (...args: string[]) => runCli(args);

const WIDE =
  "ticker,tradeDate,expirDate,strike,stockPrice,callVolume,callOpenInterest,putVolume,putOpenInterest,callBidPrice,callAskPrice,putBidPrice,putAskPrice,callMidIv,putMidIv,delta,gamma,theta,vega,rho\n" +
  "QQQ,01/02/2024,02/16/2024,400,405,10,100,12,120,9.1,9.3,4.0,4.2,0.18,0.19,0.6,0.02,-0.1,0.5,0.2\n" +
  "QQQ,01/02/2024,02/16/2024,405,405,10,100,12,120,6.0,6.2,5.9,6.1,0.18,0.19,0.5,0.02,-0.1,0.5,0.2\n" +
  "QQQ,01/03/2024,02/16/2024,400,404,10,100,12,120,8.8,8.6,4.1,4.3,0.18,0.19,0.6,0.02,-0.1,0.5,0.2\n";

Deno.test("inspect --json reports the spec's keys for an ORATS wide file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mahler-cli-"));
  const file = join(dir, "strikes.csv");
  writeFileSync(file, WIDE);
  const { code, stdout } = await cli("inspect", "--data", file, "--json");
  assert.equal(code, 0);
  const report = JSON.parse(stdout);
  for (
    const key of [
      "rows",
      "days",
      "underlyings",
      "first_date",
      "last_date",
      "crossed_quotes",
      "zero_bids",
      "bad_greeks",
      "duplicates",
      "missing_days",
      "per_underlying",
    ]
  ) {
    assert.ok(key in report, key);
  }
  assert.equal(report.rows, 6);
  assert.equal(report.days, 2);
  assert.deepEqual(report.underlyings, ["QQQ"]);
  assert.equal(report.crossed_quotes, 1, "the call bid 8.8 over ask 8.6");
  assert.equal(report.per_underlying.QQQ.rows, 6);
});

Deno.test("unknown flags and commands exit with code 2 and the usage", async () => {
  const bad = await cli("inspect", "--bogus");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Unknown option '--bogus'/);
  assert.match(bad.stderr, /Usage: mahler/);
  const unknown = await cli("frobnicate");
  assert.equal(unknown.code, 2);
  const missing = await cli("inspect");
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /inspect needs --data PATH/);
});

Deno.test("bad data exits with code 1 and names file, row and column", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mahler-cli-"));
  const file = join(dir, "bad.csv");
  writeFileSync(file, WIDE.replace("01/03/2024", "13/45/2024"));
  const { code, stderr } = await cli("inspect", "--data", file);
  assert.equal(code, 1);
  assert.match(stderr, new RegExp(`${file.replaceAll("/", "\\/")}, row 4, column 'tradeDate'`));
});

Deno.test("run writes every output file, validate reruns params.toml, export writes CSV and JSON", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mahler-cli-run-"));
  const data = join(dir, "data");
  const sample = await cli("sample", "--out", data, "--seed", "3");
  assert.equal(sample.code, 0, sample.stderr);
  const cfg = join(dir, "cfg.toml");
  writeFileSync(
    cfg,
    Deno.readTextFileSync("config/sample.toml").replace(
      "iv_percentile_min = 30",
      "iv_percentile_min = 0",
    ),
  );
  const out = join(dir, "run");
  const run = await cli(
    "run",
    "--config",
    cfg,
    "--data",
    data,
    "--out",
    out,
    "--from",
    "2019-03-01",
    "--to",
    "2019-08-30",
    "--slippage-sweep",
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /trades 2019-03-01 to 2019-08-30/);
  for (
    const f of [
      "trades.parquet",
      "trade_legs.parquet",
      "metrics.json",
      "equity_curve.csv",
      "params.toml",
      "manifest.json",
      "data_quality.json",
    ]
  ) {
    assert.ok(Deno.statSync(join(out, f)).isFile, f);
  }
  assert.match(run.stdout, /Edge disappears at slippage/);
  const sweep = JSON.parse(Deno.readTextFileSync(join(out, "slippage_sweep.json")));
  assert.equal(sweep.points.length, 7);
  const metricsJson = JSON.parse(Deno.readTextFileSync(join(out, "metrics.json")));
  assert.ok(
    metricsJson.diagnostics.sharpe_inference.psr >= 0 &&
      metricsJson.diagnostics.sharpe_inference.psr <= 1,
  );
  assert.equal(metricsJson.diagnostics.bootstrap.resamples, 1000);
  const manifest = JSON.parse(Deno.readTextFileSync(join(out, "manifest.json")));
  assert.equal(manifest.command, "run");
  assert.match(manifest.config_sha256, /^[0-9a-f]{64}$/);
  assert.ok(
    manifest.inputs.length > 5 &&
      manifest.inputs.every((i: { sha256: string }) => /^[0-9a-f]{64}$/.test(i.sha256)),
  );
  const validated = join(dir, "validated");
  const validate = await cli(
    "validate",
    "--params",
    join(out, "params.toml"),
    "--data",
    data,
    "--out",
    validated,
    "--from",
    "2019-03-01",
    "--to",
    "2019-08-30",
  );
  assert.equal(validate.code, 0, validate.stderr);
  assert.equal(
    Deno.readTextFileSync(join(validated, "metrics.json")),
    Deno.readTextFileSync(join(out, "metrics.json")),
  );
  const exported = join(dir, "exported");
  const csv = await cli("export", "--run", out, "--format", "csv", "--out", exported);
  assert.equal(csv.code, 0, csv.stderr);
  const header = Deno.readTextFileSync(join(exported, "trades.csv")).split("\n")[0];
  assert.equal(header.split(",").length, 36);
  assert.ok(
    header.startsWith(
      "trade_id,underlying,spread_type,entry_date,exit_date,days_held,short_strike,long_strike," +
        "expiration,entry_credit,exit_debit,commission,pnl,pnl_pct,exit_reason,delta_at_entry," +
        "theta_at_entry,iv_rank_at_entry,vix_at_entry,underlying_price_entry," +
        "underlying_price_exit,contracts,width,",
    ),
  );
  const json = await cli(
    "export",
    "--run",
    out,
    "--format",
    "json",
    "--output",
    exported,
    "--force",
  );
  assert.equal(json.code, 0, json.stderr);
  const trades = JSON.parse(Deno.readTextFileSync(join(exported, "trades.json")));
  assert.ok(trades.length > 0, "the window has trades");
  assert.equal(Object.keys(trades[0]).length, 36);
  assert.match(trades[0].entry_date, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(trades[0].trade_id, "T000001");
  const ndjson = await cli(
    "export",
    "--run",
    out,
    "--format",
    "ndjson",
    "--table",
    "all",
    "--out",
    exported,
    "--force",
  );
  assert.equal(ndjson.code, 0, ndjson.stderr);
  const lines = Deno.readTextFileSync(join(exported, "trades.ndjson")).trimEnd().split("\n");
  assert.deepEqual(lines.map((l) => JSON.parse(l)), trades);
  // The legs table: a vertical's two legs per trade, under the trade log's ids.
  const legs = Deno.readTextFileSync(join(exported, "trade_legs.ndjson")).trimEnd().split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(legs.length, 2 * trades.length);
  assert.deepEqual(
    legs.slice(0, 2).map((l) => [l.trade_id, l.leg, Math.sign(l.quantity)]),
    [["T000001", "short_put", -1], ["T000001", "long_put", 1]],
  );
  const days = Deno.readTextFileSync(join(exported, "equity_curve.ndjson")).trimEnd().split("\n");
  const firstDay = JSON.parse(days[0]);
  assert.match(firstDay.date, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok("net_theta" in firstDay && "daily_pnl" in firstDay && "heat" in firstDay);
  const noPeriods = await cli("export", "--run", out, "--format", "csv", "--table", "periods");
  assert.equal(noPeriods.code, 1);
  assert.match(noPeriods.stderr, /walk_forward\.json.*written by optimize/);
  const badFormat = await cli("export", "--run", out, "--format", "xml");
  assert.equal(badFormat.code, 2);
  const badDate = await cli(
    "run",
    "--config",
    cfg,
    "--data",
    data,
    "--out",
    out,
    "--from",
    "2019-02-30",
  );
  assert.equal(badDate.code, 2);
  const both = await cli("run", "--config", cfg, "--data", data, "--out", out, "--output", out);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--out and --output are the same flag/);
  assert.match(both.stderr, /Usage: mahler run --config FILE/);
});

Deno.test("help: a bare command line, help [command] and <command> --help print usage and run nothing", async () => {
  const bare = await cli();
  assert.equal(bare.code, 0);
  assert.match(bare.stdout, /^Usage: mahler <command>/);
  assert.equal(bare.stderr, "", "nothing started");
  const help = await cli("help");
  assert.equal(help.stdout, bare.stdout);
  for (const command of ["optimize", "run", "validate", "export", "inspect", "sample", "report"]) {
    const a = await cli("help", command);
    const b = await cli(command, "--help");
    assert.equal(a.code, 0);
    assert.equal(b.code, 0);
    assert.match(a.stdout, new RegExp(`^Usage: mahler ${command}`));
    assert.equal(a.stdout, b.stdout);
  }
  assert.match((await cli("help", "run")).stdout, /--output/);
  const unknown = await cli("help", "frobnicate");
  assert.equal(unknown.code, 2);
});

Deno.test("the spec's command lines run verbatim on a sample data folder, --output included", async () => {
  // A data folder and the project's configurations, as the spec's examples expect them.
  const cwd = mkdtempSync(join(tmpdir(), "mahler-spec-"));
  const project = new URL("..", import.meta.url).pathname;
  Deno.symlinkSync(join(project, "config"), join(cwd, "config"));
  const made = await cli("sample", "--out", join(cwd, "data"), "--seed", "4");
  assert.equal(made.code, 0, made.stderr);
  const at = (...args: string[]) => runCli(args, {}, cwd);
  const optimize = await at(
    "optimize",
    "--config",
    "config/test_config.toml",
    "--data",
    "data/",
    "--output",
    "results/",
  );
  assert.equal(optimize.code, 0, optimize.stderr);
  assert.ok(existsSync(join(cwd, "results", "walk_forward.json")));
  const run = await at("run", "--config", "config/default.toml", "--data", "data/");
  assert.equal(run.code, 0, run.stderr);
  const runDir = run.stdout.match(/ to (results\/run-\d{8}-\d{6})$/m)?.[1];
  assert.ok(runDir && existsSync(join(cwd, runDir, "trades.parquet")), run.stdout);
  // The default (the published example with min_credit_pct = 0.10) trades on the sample.
  const trades = Number(run.stdout.match(/^(\d+) trades /m)?.[1]);
  assert.ok(trades > 0, run.stdout);
  assert.doesNotMatch(run.stdout, /No position was entered/);
  const validate = await at("validate", "--params", "results/params.toml", "--data", "data/");
  assert.equal(validate.code, 0, validate.stderr);
  assert.match(validate.stdout, / to results\/validate-\d{8}-\d{6}$/m);
  const periods = await at("export", "--run", "results/", "--format", "csv", "--table", "periods");
  assert.equal(periods.code, 0, periods.stderr);
  const exportDir = periods.stdout.match(/Wrote (results\/export-\d{8}-\d{6})\//)?.[1];
  const rows = Deno.readTextFileSync(join(cwd, exportDir!, "walk_forward_periods.csv")).trim()
    .split("\n");
  assert.match(rows[0], /^period,train_start,train_end,.*,short_delta,profit_target_pct,/);
  assert.ok(rows.length > 1);
});

Deno.test("config/spec_example.toml is stopped by min_credit_pct, and the summary names it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mahler-example-"));
  const data = join(dir, "data");
  assert.equal((await cli("sample", "--out", data, "--seed", "5")).code, 0);
  const run = await cli(
    "run",
    "--config",
    "config/spec_example.toml",
    "--data",
    data,
    "--ticker",
    "SPY",
    "--out",
    join(dir, "run"),
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^0 trades /m);
  assert.match(
    run.stdout,
    /^No position was entered\. Stopped by min_credit_pct: no spread's credit reached 25% of its width \(0 of [\d,]+ spreads in the width band\)\.$/m,
  );
  assert.match(
    run.stdout,
    /^Entry funnel: [\d,]+ underlying-days scanned, .* 0 with enough credit/m,
  );
  // The same configuration with the default's 0.10 (their only difference) enters positions.
  const traded = await cli(
    "run",
    "--config",
    "config/spec_example.toml",
    "--set",
    "entry.min_credit_pct=0.10",
    "--data",
    data,
    "--ticker",
    "SPY",
    "--out",
    join(dir, "default"),
  );
  assert.equal(traded.code, 0, traded.stderr);
  assert.ok(Number(traded.stdout.match(/^(\d+) trades /m)?.[1]) > 0, traded.stdout);
});

Deno.test("optimize rejects a bad worker count and a bad grid without writing anything", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mahler-cli-opt-"));
  const zero = await cli("optimize", "--workers", "0", "--data", dir, "--out", join(dir, "out"));
  assert.equal(zero.code, 2);
  assert.match(zero.stderr, /--workers must be a positive integer/);
  const cfg = join(dir, "cfg.toml");
  writeFileSync(
    cfg,
    Deno.readTextFileSync("config/default.toml").replace("short_delta = [", "short_dleta = ["),
  );
  const data = join(dir, "data");
  assert.equal((await cli("sample", "--out", data, "--seed", "1")).code, 0);
  const bad = await cli("optimize", "--config", cfg, "--data", data, "--out", join(dir, "out"));
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /walk_forward\.grid\.short_dleta: Unknown grid key/);
  assert.equal(existsSync(join(dir, "out")), false);
});
