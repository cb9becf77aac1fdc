/**
 * Dividends: dividends.csv and its other names, its one-line errors, the store's series,
 * `inspect`'s line, the escrowed-dividend greeks computed at load (hand-computed), and the sample
 * market's dividends (their size, their dates, and option prices on the forward net of them).
 */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  bsGreeks,
  bsPrice,
  buildChainStore,
  chainGreeks,
  dayToCivil,
  dayToIso,
  dividendSchedules,
  dividendTomorrow,
  escrowedSpot,
  generateSample,
  isoToDay,
  loadDividends,
  loadMarketData,
  NO_EX_DATE,
  TYPE_CALL,
  TYPE_PUT,
  validateConfig,
  weekday,
} from "../../lib/mod.ts";
import { runCli } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "mahler-dividends-"));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

Deno.test("loadDividends() reads ticker, ex_date, amount and ORATS' exDate, divAmt", () => {
  const plain = loadDividends(
    write("plain.csv", "ticker,ex_date,amount\nSPY,03/15/2024,1.5930\nQQQ,03/18/2024,0.76\n"),
  );
  assert.deepEqual(plain.getColumn("ticker").toArray(), ["QQQ", "SPY"]);
  const orats = loadDividends(
    write("orats.csv", "ticker,exDate,divAmt,divFreq,declaredDate\nSPY,2024-03-15,1.593,4,\n"),
  );
  assert.equal(orats.getColumn("amount").get(0), 1.593);
  // Any other names through [data.columns].
  const mapped = loadDividends(write("mapped.csv", "Sym,ExDiv,Cash\nIWM,2024-03-20,0.55\n"), {
    ticker: "Sym",
    ex_date: "ExDiv",
    amount: "Cash",
  });
  assert.equal(dayToIso(dividendSchedules(mapped).get("IWM")!.exDays[0]), "2024-03-20");
});

Deno.test("loadDividends() fails in one line naming file, row and column", () => {
  const cases: Array<[string, RegExp]> = [
    ["ticker,amount\nSPY,1\n", /bad1\.csv, row 1, column 'ex_date': Required column is missing/],
    ["ticker,ex_date,amount\nSPY,2024-13-45,1\n", /bad2\.csv, row 2, column 'ex_date'/],
    ["ticker,ex_date,amount\nSPY,2024-03-15,1\nSPY,2024-06-21,0\n", /row 3, column 'amount'/],
    ["ticker,ex_date,amount\nSPY,2024-03-15,abc\n", /row 2, column 'amount'/],
    ["ticker,ex_date\nSPY,2024-03-15\n", /bad5\.csv, row 1, column 'amount': Required/],
  ];
  cases.forEach(([text, pattern], i) => {
    const file = write(`bad${i + 1}.csv`, text);
    assert.throws(() => loadDividends(file), (err: Error) => {
      assert.match(err.message, pattern);
      assert.ok(!err.message.includes("\n"), "one line");
      return true;
    });
  });
  // A header alone: no dividends in the period.
  const none = loadDividends(write("none.csv", "ticker,ex_date,amount\n"));
  assert.equal(dividendSchedules(none).size, 0);
  // [data.columns] may name the dividends' columns beside the chains'.
  const config = (columns: Record<string, string>) =>
    validateConfig({
      strategy: { underlying: "SPY", strategy_type: "bull_put_spread" },
      entry: {
        dte_min: 20,
        dte_max: 40,
        short_delta_min: 0.1,
        short_delta_max: 0.3,
        spread_width_min: 5,
        spread_width_max: 5,
        min_credit_pct: 0.1,
        iv_percentile_min: 0,
        min_open_interest: 0,
        min_volume: 0,
        max_bid_ask_pct: 10,
      },
      exit: { profit_target_pct: 0.5, stop_loss_pct: 1, dte_exit: 5 },
      position_sizing: {
        max_risk_per_trade_pct: 0.02,
        max_portfolio_heat_pct: 1,
        max_positions: 1,
        max_correlated_exposure_pct: 1,
      },
      data: { columns },
    });
  assert.equal(config({ ex_date: "ExDiv", amount: "Cash" }).data?.columns.amount, "Cash");
  assert.throws(() => config({ payout: "Cash" }), /dividends column \(ex_date, amount\)/);
});

Deno.test("a data folder's dividends.csv reaches the store: the next ex-date of each day", () => {
  const data = mkdtempSync(join(tmpdir(), "mahler-divdata-"));
  generateSample({ outDir: data, start: "2024-03-04", end: "2024-03-28", seed: 3 });
  const market = loadMarketData(data);
  assert.ok(market.files.some((f) => f.endsWith("dividends.csv")));
  const store = buildChainStore(market);
  const spy = store.tickerIndex("SPY");
  const ex = isoToDay("2024-03-15");
  const eve = store.dayIndex(isoToDay("2024-03-14"));
  const amount = market.dividends!.get("SPY")!.amounts[0];
  assert.equal(store.data.exDividendDay[spy * store.nDays + eve], ex);
  assert.equal(dividendTomorrow(store.data, store.calendar, spy, eve), amount);
  assert.equal(dividendTomorrow(store.data, store.calendar, spy, eve - 1), 0);
  assert.equal(store.data.exDividendDay[spy * store.nDays + eve + 1], NO_EX_DATE);
  // Without the file, the same chains have no ex-date at all.
  const bare = mkdtempSync(join(tmpdir(), "mahler-divbare-"));
  cpSync(join(data, "chains"), join(bare, "chains"), { recursive: true });
  const none = buildChainStore(loadMarketData(bare));
  assert.ok(none.data.exDividendDay.every((d) => d === NO_EX_DATE));
});

Deno.test("inspect lists the dividends found, or says there are none", async () => {
  const data = mkdtempSync(join(tmpdir(), "mahler-divinspect-"));
  generateSample({ outDir: data, start: "2024-03-04", end: "2024-03-28", seed: 3 });
  const found = await runCli(["inspect", "--data", data, "--no-cache"]);
  assert.equal(found.code, 0, found.stderr);
  assert.match(found.stdout, /dividends\s+SPY: 1 ex-dates 2024-03-15 to 2024-03-15, \$\d+\.\d\d a/);
  const json = await runCli(["inspect", "--data", data, "--no-cache", "--json"]);
  const report = JSON.parse(json.stdout);
  assert.deepEqual(report.dividends.map((d: { ticker: string }) => d.ticker), [
    "IWM",
    "QQQ",
    "SPY",
  ]);
  const bare = mkdtempSync(join(tmpdir(), "mahler-divinspect-bare-"));
  cpSync(join(data, "chains"), join(bare, "chains"), { recursive: true });
  const none = await runCli(["inspect", "--data", bare, "--no-cache"]);
  assert.match(none.stdout, /dividends\s+none \(no dividends\.csv/);
});

Deno.test("greeks computed at load price on the escrowed-dividend spot (hand-computed)", () => {
  // QQQ at 402.53 on 2024-01-02; $2.00 goes ex on 2024-01-10, 8 days out, before the
  // 2024-01-19 expiry (17 days); r = 5%. Escrowed spot: 402.53 − 2·e^(−0.05·8/365)
  //   = 402.53 − 2 · 0.99890469... = 402.53 − 1.99780942... = 400.53219058...
  const spotNet = 402.53 - 2 * Math.exp(-0.05 * 8 / 365);
  assert.ok(Math.abs(spotNet - 400.5321905799) < 1e-9);
  assert.ok(
    Math.abs(
      escrowedSpot(
        402.53,
        [isoToDay("2024-01-10")],
        [2],
        isoToDay("2024-01-02"),
        isoToDay("2024-01-19"),
        0.05,
      ) - spotNet,
    ) < 1e-12,
  );
  // The files' mids are Black-Scholes prices at 18% on that spot.
  const T = 17 / 365;
  const call = bsPrice("call", spotNet, 400, T, 0.05, 0.18);
  const put = bsPrice("put", spotNet, 400, T, 0.05, 0.18);
  const folder = mkdtempSync(join(tmpdir(), "mahler-divcboe-"));
  const header =
    "underlying_symbol,quote_date,root,expiration,strike,option_type,open,high,low,close," +
    "trade_volume,bid_size_1545,bid_1545,ask_size_1545,ask_1545,underlying_bid_1545," +
    "underlying_ask_1545,bid_size_eod,bid_eod,ask_size_eod,ask_eod,underlying_bid_eod," +
    "underlying_ask_eod,vwap,open_interest,delivery_code";
  const row = (type: string, price: number) =>
    `QQQ,2024-01-02,QQQ,2024-01-19,400.000,${type},0,0,0,0,105,25,${price.toFixed(12)},30,` +
    `${price.toFixed(12)},402.53,402.53,20,0,22,0,402.53,402.53,0,1000,`;
  Deno.mkdirSync(join(folder, "chains"));
  writeFileSync(
    join(folder, "chains", "UnderlyingOptionsEODQuotes_2024-01-02.csv"),
    [header, row("C", call), row("P", put)].join("\n") + "\n",
  );
  writeFileSync(join(folder, "dividends.csv"), "ticker,ex_date,amount\nQQQ,2024-01-10,2.00\n");
  const options = { computeGreeks: chainGreeks, rate: 0.05 };
  const store = buildChainStore(loadMarketData(folder, options));
  const c = store.columns;
  for (let i = 0; i < store.rowCount; i++) {
    const kind = c.type[i] === TYPE_PUT ? "put" : "call";
    assert.ok(Math.abs(c.iv[i] - 0.18) < 1e-9, `${kind} IV ${c.iv[i]}`);
    const g = bsGreeks(kind, spotNet, 400, T, 0.05, 0.18);
    assert.ok(Math.abs(c.delta[i] - g.delta) < 1e-9 && Math.abs(c.gamma[i] - g.gamma) < 1e-12);
    assert.equal(c.stockPrice[i], 402.53); // the rows keep the stock price
  }
  // Without the dividends the same mids imply another volatility: the call's lower, the put's
  // higher (the forward looks $2 too high).
  Deno.removeSync(join(folder, "dividends.csv"));
  const plain = buildChainStore(loadMarketData(folder, options));
  const ivOf = (type: number) => plain.columns.iv[plain.columns.type[0] === type ? 0 : 1];
  assert.ok(ivOf(TYPE_CALL) < 0.17 && ivOf(TYPE_PUT) > 0.19);
});

Deno.test("the sample pays quarterly dividends of the stated yields, near the third Friday", () => {
  const data = mkdtempSync(join(tmpdir(), "mahler-divsample-"));
  generateSample({ outDir: data, start: "2021-01-04", end: "2022-12-30", seed: 7 });
  const market = loadMarketData(data);
  const store = buildChainStore(market);
  const yields: Record<string, number> = { SPY: 0.013, QQQ: 0.006, IWM: 0.012 };
  for (const [ticker, target] of Object.entries(yields)) {
    const s = market.dividends!.get(ticker)!;
    assert.equal(s.exDays.length, 8, `${ticker}: two years of quarters`);
    const t = store.tickerIndex(ticker);
    for (let i = 0; i < s.exDays.length; i++) {
      const { month, day } = dayToCivil(s.exDays[i]);
      assert.ok([3, 6, 9, 12].includes(month), `${ticker} ${dayToIso(s.exDays[i])}`);
      if (ticker === "SPY") {
        // The third Friday, or the session before it when the market is closed.
        assert.ok(day >= 14 && day <= 21 && weekday(s.exDays[i]) >= 4);
      } else assert.ok(day >= 15 && day <= 27);
      // A quarter of the yield on a recent close (the close 20 sessions before).
      const d = store.dayIndex(s.exDays[i]);
      const close = store.data.barClose[t * store.nDays + d - 20];
      assert.ok(Math.abs(s.amounts[i] - close * target / 4) < 5e-5, `${ticker} amount`);
    }
  }
  // Options price on the forward net of the dividends: on SPY's eve of 2021-03-19, put-call
  // parity of the near-the-money mids of the next monthly (2021-04-16) holds with the escrowed
  // spot, C − P = S − PV(D) − K·e^(−rT), within the quotes' rounding; against S alone it is off
  // by the dividend.
  const t = store.tickerIndex("SPY");
  const eve = store.dayIndex(isoToDay("2021-03-18"));
  const expiry = isoToDay("2021-04-16");
  const spot = store.columns.stockPrice[store.data.snapshotStart[t * store.nDays + eve]];
  const D = market.dividends!.get("SPY")!.amounts[0];
  const T = (expiry - isoToDay("2021-03-18")) / 365;
  const r = 0.001; // the generator's 2021 rate
  const mids = (type: "call" | "put") => {
    const range = store.getChain("2021-03-18", "SPY", "2021-04-16", type);
    const out = new Map<number, number>();
    for (let i = range.start; i < range.end; i++) {
      if (store.columns.flags[i] === 0) out.set(store.columns.strike[i], store.columns.mid[i]);
    }
    return out;
  };
  const calls = mids("call");
  const puts = mids("put");
  const residuals: number[] = [];
  const plainResiduals: number[] = [];
  for (const [K, c] of calls) {
    const p = puts.get(K);
    if (p === undefined || Math.abs(K - spot) > 5) continue;
    const pv = D * Math.exp(-r * (1 / 365));
    residuals.push(c - p - (spot - pv - K * Math.exp(-r * T)));
    plainResiduals.push(c - p - (spot - K * Math.exp(-r * T)));
  }
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
  assert.ok(residuals.length >= 5);
  assert.ok(Math.abs(mean(residuals)) < 0.1 * D, `escrowed parity residual ${mean(residuals)}`);
  assert.ok(Math.abs(mean(plainResiduals) + D) < 0.1 * D, `plain ${mean(plainResiduals)}`);
});
