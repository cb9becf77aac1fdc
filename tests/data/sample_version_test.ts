/**
 * The sample generator's version: a sample written before dividends (no sample.json, the
 * generator's README) or by another version is generated again on first use; the current one
 * and folders that are not generated samples are left alone.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  generateSample,
  isStaleSample,
  SAMPLE_GENERATOR_VERSION,
  SAMPLE_STAMP,
} from "../../lib/mod.ts";

Deno.test("isStaleSample() tells a sample of an earlier generator from the current one", () => {
  const dir = join(Deno.makeTempDirSync(), "sample");
  generateSample({ outDir: dir, start: "2024-03-01", end: "2024-03-15", seed: 42 });
  const stamp = JSON.parse(readFileSync(join(dir, SAMPLE_STAMP), "utf8"));
  assert.deepEqual(stamp, { generator_version: SAMPLE_GENERATOR_VERSION, seed: 42 });
  assert.equal(isStaleSample(dir), false);
  // Another version's stamp.
  writeFileSync(join(dir, SAMPLE_STAMP), JSON.stringify({ generator_version: 1, seed: 42 }));
  assert.equal(isStaleSample(dir), true);
  // A sample from before the stamp: the generator's README, no sample.json.
  rmSync(join(dir, SAMPLE_STAMP));
  assert.equal(isStaleSample(dir), true);
  // Someone's own data in that folder: left alone.
  rmSync(join(dir, "README.md"));
  assert.equal(isStaleSample(dir), false);
});
