import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildChainStore,
  dataQuality,
  generateSample,
  loadMarketData,
  TYPE_CALL,
} from "../../lib/mod.ts";

const RANGE = { start: "2020-02-03", end: "2020-04-30", seed: 7 };

function generate(): string {
  const outDir = join(mkdtempSync(join(tmpdir(), "mahler-sample-")), "sample");
  generateSample({ ...RANGE, outDir });
  return outDir;
}

function filesOf(dir: string): string[] {
  const out: string[] = [];
  for (const sub of ["", "chains", "bars"]) {
    for (const name of readdirSync(join(dir, sub))) {
      if (name.includes(".")) out.push(join(sub, name));
    }
  }
  return out.sort();
}

const first = generate();
const second = generate();

Deno.test("generateSample() writes byte-identical files for the same seed", () => {
  const files = filesOf(first);
  assert.deepEqual(files, filesOf(second));
  assert.ok(files.some((f) => f.endsWith(".parquet")));
  for (const f of files) {
    assert.ok(readFileSync(join(first, f)).equals(readFileSync(join(second, f))), `${f} differs`);
  }
});

Deno.test("sample mids are free of static arbitrage beyond the seeded defects", () => {
  const store = buildChainStore(loadMarketData(first));
  const c = store.columns;
  const g = store.data;
  let checked = 0;
  let violations = 0;
  for (let k = 0; k < g.groupStart.length; k++) {
    // Within a chain, calls fall and puts rise with strike (monotone mids, one tick of slack).
    let previous = -1;
    for (let i = g.groupStart[k]; i < g.groupEnd[k]; i++) {
      if (c.flags[i]) continue;
      if (previous >= 0) {
        const step = c.mid[i] - c.mid[previous];
        checked++;
        if (c.type[i] === TYPE_CALL ? step > 0.01 : step < -0.01) violations++;
      }
      previous = i;
    }
  }
  assert.ok(checked > 10000);
  assert.equal(violations, 0, `${violations} monotonicity violations in ${checked} pairs`);
});

Deno.test("sample quotes satisfy put-call parity within the bid-ask spread", () => {
  const store = buildChainStore(loadMarketData(first));
  const c = store.columns;
  let pairs = 0;
  let outside = 0;
  for (let i = 0; i + 1 < store.rowCount; i++) {
    // Find the put with the same day, expiry and strike in the put group of the snapshot.
    if (c.type[i] !== TYPE_CALL || c.flags[i]) continue;
    const chain = store.getChain(c.day[i], store.tickers[c.underlying[i]], c.expiry[i], "put");
    for (let j = chain.start; j < chain.end; j++) {
      if (c.strike[j] !== c.strike[i] || c.flags[j]) continue;
      pairs++;
      const year = new Date(c.day[i] * 864e5).getUTCFullYear();
      const r = year === 2020 ? 0.005 : 0.022;
      const T = Math.max(c.expiry[i] - c.day[i], 0.25) / 365;
      const parity = c.stockPrice[i] - c.strike[i] * Math.exp(-r * T);
      // C - P must lie between (C_bid - P_ask) and (C_ask - P_bid), up to the stock's rounding.
      const lo = c.bid[i] - c.ask[j] - 0.01;
      const hi = c.ask[i] - c.bid[j] + 0.01;
      if (parity < lo || parity > hi) outside++;
      break;
    }
  }
  assert.ok(pairs > 10000, `pairs ${pairs}`);
  assert.equal(outside, 0, `${outside} of ${pairs} pairs outside the spread`);
});

Deno.test("sample has every defect kind at a small rate and VIX reaching the crash regime", () => {
  const store = buildChainStore(loadMarketData(first));
  const q = dataQuality(store);
  for (const key of ["crossed_quotes", "bad_greeks", "duplicates", "vanished_strikes"] as const) {
    assert.ok(q[key] > 0, `${key} seeded`);
    assert.ok(q[key] < q.rows * 0.005, `${key} rare`);
  }
  const vix = Array.from(store.data.vixClose);
  assert.ok(Math.max(...vix) > 35, "VIX above 35 in March 2020");
  assert.ok(Math.min(...vix) < 25);
});
