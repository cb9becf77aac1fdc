/**
 * A cache entry's header (meta.json) damaged in its format field is reported and rebuilt like any
 * other damage: before, a flipped digit that made the format an older one ("5" to "4" or "1")
 * was taken for another version's entry and replaced without a word. Another version's genuine
 * entry (its header matching its checksum) is still only a miss.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateSample, loadMarketData, onCacheWarning } from "../../lib/mod.ts";
import { xxh32 } from "../../lib/data/_checksum.ts";
import { CACHE_FORMAT, ENTRY_NAME } from "../../lib/data/_cache_key.ts";

const dir = Deno.makeTempDirSync({ prefix: "mahler-cache-header-" });
const data = join(dir, "data");
generateSample({ outDir: data, start: "2024-01-02", end: "2024-02-29", seed: 5 });
const cache = join(dir, "cache");

/** Loads with the cache; returns the warnings and where the rows came from. */
function load(): { warnings: string[]; source: string } {
  const warnings: string[] = [];
  const stop = onCacheWarning((w) => warnings.push(w));
  try {
    return { warnings, source: loadMarketData(data, { cache }).load.source };
  } finally {
    stop();
  }
}
const metaPath = () => {
  const entry = readdirSync(cache).find((n) => ENTRY_NAME.test(n))!;
  return join(cache, entry, "meta.json");
};

Deno.test("a format digit flipped in meta.json is damage: reported, rebuilt", () => {
  assert.equal(load().source, "files");
  for (const to of ["4", "1", "7"]) {
    const path = metaPath();
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.replace(`"format":${CACHE_FORMAT}`, `"format":${to}`));
    const { warnings, source } = load();
    assert.equal(source, "files", `format ${to}`);
    assert.equal(warnings.length, 1, `format ${to}: ${warnings}`);
    assert.match(warnings[0], /is damaged \(meta\.json does not match its checksum\): removed/);
    assert.equal(load().source, "cache");
  }
});

Deno.test("another version's entry (its header consistent) is a miss, without a warning", () => {
  const path = metaPath();
  const { checksum: _, ...meta } = JSON.parse(readFileSync(path, "utf8"));
  const older = { ...meta, format: CACHE_FORMAT - 1 };
  const sum = xxh32(new TextEncoder().encode(JSON.stringify(older)));
  writeFileSync(path, JSON.stringify({ ...older, checksum: sum }));
  const { warnings, source } = load();
  assert.equal(source, "files");
  assert.deepEqual(warnings, []);
});

Deno.test("the cache-header tests leave no folder behind", () => {
  Deno.removeSync(dir, { recursive: true });
});
