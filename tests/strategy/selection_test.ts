/**
 * The engine's selection of the day's candidates, best first: the heap gives them in exactly
 * the order of repeatedly picking the best of those left (the rule on paper), with random
 * scores full of ties; with a NaN score it picks as on paper.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildChainStore,
  generateSample,
  ivPercentileTable,
  loadConfig,
  loadMarketData,
  paramsFromConfig,
  validateConfig,
} from "../../lib/mod.ts";
import {
  CandidateBuffer,
  nextBest,
  ranksBefore,
  scanDay,
  startSelection,
} from "../../lib/strategy/_scanner.ts";

const dir = mkdtempSync(join(tmpdir(), "mahler-selection-"));
generateSample({ outDir: join(dir, "s"), start: "2020-02-03", end: "2020-02-28", seed: 4 });
const store = buildChainStore(loadMarketData(join(dir, "s")));
const base = loadConfig("config/test_config.toml");
const config = validateConfig({
  ...base,
  strategy: { ...base.strategy, strategy_type: ["bull_put_spread", "bear_call_spread"] },
});
const p = paramsFromConfig(config);
const ivPct = ivPercentileTable(store, p.ivHistoryDays);
const buf = new CandidateBuffer(16);
for (let t = 0; t < store.tickers.length; t++) {
  scanDay(store, t, store.nDays - 5, ivPct[t * store.nDays + store.nDays - 5], p, buf);
}

/** The rule on paper: the best of those left, found by a pass keeping the first best. */
function onPaper(): number[] {
  const taken = new Uint8Array(buf.count);
  const order: number[] = [];
  for (;;) {
    let best = -1;
    for (let n = 0; n < buf.count; n++) {
      if (!taken[n] && (best < 0 || ranksBefore(store, buf, n, best))) best = n;
    }
    if (best < 0) return order;
    taken[best] = 1;
    order.push(best);
  }
}

function selected(limit = Infinity): number[] {
  startSelection(store, buf);
  const order: number[] = [];
  for (let n; order.length < limit && (n = nextBest(store, buf)) >= 0;) order.push(n);
  return order;
}

Deno.test("the selection gives the candidates in the order of the rule on paper", () => {
  assert.ok(buf.count > 30, `${buf.count} candidates`);
  const original = buf.score.slice(0, buf.count);
  assert.deepEqual(selected(), onPaper());
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: buf.count, maxLength: buf.count }),
      fc.boolean(),
      (scores, nan) => {
        scores.forEach((x, i) => (buf.score[i] = x / 4));
        if (nan) buf.score[scores[0] % buf.count] = NaN;
        assert.deepEqual(selected(), onPaper());
        // Stopping early leaves the rest untouched: the first picks are the same.
        assert.deepEqual(selected(3), onPaper().slice(0, 3));
      },
    ),
    { numRuns: 200, seed: 19 },
  );
  buf.score.set(original);
});
