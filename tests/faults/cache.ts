/**
 * The cache's faults.
 *
 * - Two processes, one cache (MAHLER_FAULT_RACES rounds, default 5): two cold runs of the same
 *   data started together, then two warm ones. All four succeed with the undisturbed result, and
 *   the cache holds one valid entry and no staging folder.
 * - Damaged entries (POINTS each): truncate a file of the entry (a column or meta.json) to a
 *   seeded length; flip a seeded byte of meta.json (the entry's header); flip a seeded byte of
 *   a column; swap a column, meta.json, or the whole folders of two entries (two markets in one
 *   cache). The run reading it succeeds with the undisturbed result and says in one warning line
 *   that the entry is damaged (and rebuilt); the next run has no warning, and every entry left
 *   is valid.
 *
 * Usage: `deno run -A tests/faults/cache.ts` (run_faults.ts runs it).
 *
 * @module
 */
import {
  closeSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  statSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { generateSample } from "../../lib/sample/mod.ts";
import { ENTRY_NAME } from "../../lib/data/_cache_key.ts";
import {
  cacheState,
  CONFIG,
  expect,
  figures,
  filesOf,
  inject,
  kindSeed,
  mahler,
  POINTS,
  random,
  remove,
  report,
  sameFiles,
} from "./_common.ts";
import { copyCache, market } from "./_market.ts";

const RACES = Number(Deno.env.get("MAHLER_FAULT_RACES") ?? 5);
const m = await market("cache");

try {
  // A second market in the same cache: two entries, for the swaps.
  const data2 = join(m.work, "data2");
  generateSample({ outDir: data2, start: "2024-01-02", end: "2024-06-28", seed: 4 });
  const runOf = (data: string, out: string, cache: string) =>
    mahler(["run", "--config", CONFIG, "--data", data, "--out", out], { MAHLER_CACHE_DIR: cache });
  const second = await runOf(data2, join(m.work, "ref2"), m.cache);
  expect(second.code === 0, second.stderr);
  const fresh = filesOf(join(m.work, "warm"));
  const fresh2 = filesOf(join(m.work, "ref2"));
  const entries = readdirSync(m.cache).filter((n) => ENTRY_NAME.test(n)).sort();
  expect(entries.length === 2, `two entries expected, got ${entries.length}`);
  // Which entry holds the first market: the one its run reads (the other one's key differs).
  const keyOf = (n: string) => n.slice(0, 64);
  const metaFiles = (n: string) => JSON.parse(Deno.readTextFileSync(join(m.cache, n, "meta.json")));
  const entryA = entries.find((n) => metaFiles(n).files[0].startsWith(`${m.data}/`))!;
  const entryB = entries.find((n) => n !== entryA)!;
  expect(keyOf(entryA) !== keyOf(entryB), "the two markets share a key");

  // --- two processes, one cache
  {
    const f = figures("two processes, one cache");
    for (let i = 0; i < RACES; i++) {
      await inject(f, `round ${i}`, async () => {
        const cache = join(m.work, `race-cache-${i}`);
        for (const phase of ["cold", "warm"]) {
          const outs = [0, 1].map((k) => join(m.work, `race-${i}-${phase}-${k}`));
          const ends = await Promise.all(outs.map((o) => runOf(m.data, o, cache)));
          for (const e of ends) expect(e.code === 0, `${phase}: ${e.stderr.trim()}`);
          for (const e of ends) expect(!/Warning/.test(e.stderr), `${phase}: ${e.stderr.trim()}`);
          for (const o of outs) expect(sameFiles(o, fresh), `${phase}: ${o} differs`);
          const state = cacheState(cache);
          expect(state.entries.length === 1, `${phase}: ${state.entries.length} entries`);
          expect(state.bad.length === 0, `${phase}: a damaged entry`);
          expect(state.staging.length === 0, `${phase}: staging left: ${state.staging}`);
          outs.forEach(remove);
        }
        remove(cache);
        return 0;
      });
    }
    report(f);
  }

  // --- damaged entries
  const columns = readdirSync(join(m.cache, entryA)).filter((n) => n.endsWith(".bin")).sort();
  const flip = (path: string, at: number, mask: number) => {
    const fd = openSync(path, "r+");
    const b = new Uint8Array(1);
    readSync(fd, b, 0, 1, at);
    b[0] ^= mask;
    writeSync(fd, b, 0, 1, at);
    closeSync(fd);
  };
  let headerPoints = 0;
  const damages: Record<string, (cache: string, next: () => number) => string> = {
    truncate: (cache, next) => {
      const names = [...columns, "meta.json"];
      const name = names[Math.floor(next() * names.length)];
      const path = join(cache, entryA, name);
      const to = Math.floor(next() * statSync(path).size);
      truncateSync(path, to);
      return `${name} to ${to} bytes`;
    },
    "header flip": (cache, next) => {
      const path = join(cache, entryA, "meta.json");
      let at = Math.floor(next() * statSync(path).size);
      const mask = 1 + Math.floor(next() * 255);
      // The first point hits the format's digit (taken for another version's entry before).
      if (headerPoints++ === 0) at = Deno.readTextFileSync(path).indexOf('"format":') + 9;
      flip(path, at, mask);
      return `meta.json byte ${at} ^ ${mask}`;
    },
    "column flip": (cache, next) => {
      const name = columns[Math.floor(next() * columns.length)];
      const path = join(cache, entryA, name);
      const at = Math.floor(next() * statSync(path).size);
      const mask = 1 << Math.floor(next() * 8);
      flip(path, at, mask);
      return `${name} byte ${at} ^ ${mask}`;
    },
    "swapped files": (cache, next) => {
      const names = [...columns, "meta.json", "(folders)"];
      const name = names[Math.floor(next() * names.length)];
      const [a, b] = name === "(folders)"
        ? [join(cache, entryA), join(cache, entryB)]
        : [join(cache, entryA, name), join(cache, entryB, name)];
      renameSync(a, `${a}.swap`);
      renameSync(b, a);
      renameSync(`${a}.swap`, b);
      return `${name} of the two entries`;
    },
  };
  for (const [kind, damage] of Object.entries(damages)) {
    const f = figures(`damaged entry: ${kind}`);
    const next = random(kindSeed(f.kind));
    for (let i = 0; i < POINTS; i++) {
      const cache = copyCache(m, join(m.work, `damaged-${i}`));
      const what = damage(cache, next);
      await inject(f, `point ${i} (${what})`, async () => {
        const out = join(m.work, `damaged-out-${i}`);
        remove(out);
        const first = await runOf(m.data, out, cache);
        expect(first.code === 0, `the run failed: ${first.stderr.trim()}`);
        const warnings = first.stderr.split("\n").filter((l) => l.startsWith("Warning: Cache"));
        expect(warnings.length >= 1, "the damage was not reported");
        for (const w of warnings) expect(/ is damaged \(.+\): removed/.test(w), `said: ${w}`);
        expect(sameFiles(out, fresh), "the result differs from an undisturbed run's");
        remove(out);
        if (kind === "swapped files") {
          // The other market's entry, damaged too, is found and rebuilt when read.
          const other = await runOf(data2, out, cache);
          expect(other.code === 0 && sameFiles(out, fresh2), "the other market's run differs");
          remove(out);
        }
        const again = await runOf(m.data, out, cache);
        expect(again.code === 0, again.stderr.trim());
        expect(!/Warning/.test(again.stderr), `the next run warned: ${again.stderr.trim()}`);
        expect(sameFiles(out, fresh), "the next run differs");
        const state = cacheState(cache);
        expect(state.bad.length === 0, `damaged entries left: ${state.bad}`);
        remove(out);
        return 0;
      });
      remove(cache);
    }
    report(f);
  }
} finally {
  remove(m.work);
}
