/**
 * Values out of range in a chain file fail the load in one line naming the file, the row and
 * the column. Before, a strike of 1e300, a stock price of -5, 0 or 1e300 and a trade date of
 * 1900 loaded unflagged, as if right (found by tests/faults/fuzz.ts, "fuzzed fields").
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildChainStore, DataError, dataQuality, loadMarketData } from "../../lib/mod.ts";

const fixture = new URL("../fixtures/layouts/orats_strikes.csv", import.meta.url).pathname;
const lines = readFileSync(fixture, "utf8").trimEnd().split("\n");
const header = lines[0].split(",");
const dir = Deno.makeTempDirSync({ prefix: "mahler-out-of-range-" });

/** The fixture with one cell of data row `row` (1-based) set to `value`, loaded. */
function loadWith(row: number, column: string, value: string) {
  const edited = [...lines];
  const cells = edited[row].split(",");
  cells[header.indexOf(column)] = value;
  edited[row] = cells.join(",");
  const path = join(dir, "orats_strikes.csv");
  writeFileSync(path, edited.join("\n") + "\n");
  return () => loadMarketData(path);
}

const cases: [string, string, RegExp][] = [
  ["strike", "1e300", /Strike 1e\+300 is out of range/],
  ["strike", "-5", /Strike must be a positive number/],
  ["stockPrice", "-5", /Stock price -5 is out of range/],
  ["stockPrice", "0", /Stock price 0 is out of range/],
  ["stockPrice", "1e300", /Stock price 1e\+300 is out of range/],
  ["tradeDate", "1900-01-02", /Trade date is before listed options existed/],
];
for (const [column, value, message] of cases) {
  Deno.test(`${column} = ${value} fails the load naming the file, row and column`, () => {
    assert.throws(loadWith(7, column, value), (err: Error) => {
      assert.ok(err instanceof DataError, String(err));
      assert.ok(!err.message.includes("\n"));
      assert.match(err.message, new RegExp(`orats_strikes\\.csv, row 8, column '${column}'`));
      assert.match(err.message, message);
      return true;
    });
  });
}

Deno.test("a missing stock price still loads, the row flagged (as before)", () => {
  const quality = dataQuality(buildChainStore(loadWith(7, "stockPrice", "")()));
  assert.equal(quality.rows, 72);
  assert.ok(quality.excluded_rows >= 1);
});

Deno.test("the out-of-range tests leave no folder behind", () => {
  Deno.removeSync(dir, { recursive: true });
});
