/**
 * Kill -9 at seeded moments of `run`, `optimize`, `export` and a cold load that writes the cache
 * (POINTS each). The moments are uniform over the undisturbed command's duration (plus a tenth).
 *
 * - run, optimize, export: the output folder holds a previous result (another configuration, or
 *   another export format) on even points and nothing on odd ones; after the kill it holds the
 *   previous result or the new one, whole (or nothing, when there was none). Bytes lost: the
 *   previous result's bytes when it is neither. The same command run again gives the
 *   undisturbed result byte for byte and leaves no temporary beside it.
 * - cold load: a fresh cache each point; after the kill every entry in the cache is valid (a
 *   half-written one never bears an entry's name); the next run gives the undisturbed result,
 *   leaves one valid entry and removes the killed process's staging folder.
 *
 * Usage: `deno run -A tests/faults/kill.ts` (run_faults.ts runs it).
 *
 * @module
 */
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  bytesOf,
  cacheState,
  CONFIG,
  expect,
  figures,
  filesOf,
  inject,
  kindSeed,
  leftovers,
  mahler,
  POINTS,
  random,
  remove,
  report,
  sameFiles,
} from "./_common.ts";
import { market } from "./_market.ts";

const m = await market("kill");
const env = { MAHLER_CACHE_DIR: m.cache };

/** Runs a command into `out` and returns its files (it must succeed). */
async function reference(args: string[], out: string): Promise<Map<string, Uint8Array>> {
  const res = await mahler([...args, "--out", out], env);
  expect(res.code === 0, `${args[0]} failed: ${res.stderr}`);
  return filesOf(out);
}

const runArgs = ["run", "--config", CONFIG, "--data", m.data];
const optArgs = ["optimize", "--config", CONFIG, "--data", m.data, "--workers", "2"];
const other = ["--set", "exit.profit_target_pct=0.6"];
const optimized = join(m.work, "ref-optimize-new");
const commands = [
  { name: "run", args: runArgs, old: [...runArgs, ...other] },
  { name: "optimize", args: optArgs, old: [...optArgs, ...other] },
  {
    name: "export",
    args: ["export", "--run", optimized, "--format", "json", "--table", "all"],
    old: ["export", "--run", optimized, "--format", "csv", "--table", "all"],
  },
];

try {
  for (const c of commands) {
    const f = figures(`kill -9: ${c.name}`);
    const fresh = await reference(c.args, join(m.work, `ref-${c.name}-new`));
    const old = await reference(c.old, join(m.work, `ref-${c.name}-old`));
    const t0 = performance.now();
    await reference(c.args, join(m.work, `timing-${c.name}`));
    const span = (performance.now() - t0) * 1.1;
    const next = random(kindSeed(f.kind));
    for (let i = 0; i < POINTS; i++) {
      const at = Math.floor(next() * span);
      await inject(f, `point ${i} (${at} ms)`, async () => {
        const parent = join(m.work, `${c.name}-${i}`);
        const out = join(parent, "out");
        mkdirSync(parent);
        const previous = i % 2 === 0;
        if (previous) cpSync(join(m.work, `ref-${c.name}-old`), out, { recursive: true });
        await mahler([...c.args, "--out", out, "--force"], env, at);
        let lost = 0;
        const whole = existsSync(out)
          ? sameFiles(out, fresh) || (previous && sameFiles(out, old))
          : !previous;
        if (!whole) lost = previous ? bytesOf(old) : 0;
        expect(whole || previous, `${out} is neither absent nor the new result`);
        const again = await mahler([...c.args, "--out", out, "--force"], env);
        expect(again.code === 0, `the run after the kill failed: ${again.stderr.trim()}`);
        expect(sameFiles(out, fresh), "the run after the kill differs from an undisturbed one");
        const left = leftovers(parent, ["out"]);
        expect(left.length === 0, `left behind: ${left.join(", ")}`);
        remove(parent);
        return lost;
      });
    }
    report(f);
  }

  const f = figures("kill -9: cold load");
  const fresh = filesOf(join(m.work, "ref-run-new"));
  const t0 = performance.now();
  await mahler([...runArgs, "--out", join(m.work, "timing-cold")], {
    MAHLER_CACHE_DIR: join(m.work, "timing-cache"),
  });
  const span = (performance.now() - t0) * 1.1;
  const next = random(kindSeed(f.kind));
  for (let i = 0; i < POINTS; i++) {
    const at = Math.floor(next() * span);
    await inject(f, `point ${i} (${at} ms)`, async () => {
      const cache = join(m.work, `cold-cache-${i}`);
      const out = join(m.work, `cold-out-${i}`);
      await mahler([...runArgs, "--out", out], { MAHLER_CACHE_DIR: cache }, at);
      const after = cacheState(cache);
      expect(after.bad.length === 0, `a damaged entry after the kill: ${after.bad.join(", ")}`);
      remove(out);
      const again = await mahler([...runArgs, "--out", out], { MAHLER_CACHE_DIR: cache });
      expect(again.code === 0, `the run after the kill failed: ${again.stderr.trim()}`);
      expect(!/Warning/.test(again.stderr), `warned: ${again.stderr.trim()}`);
      expect(sameFiles(out, fresh), "the run after the kill differs from an undisturbed one");
      const end = cacheState(cache);
      expect(end.staging.length === 0, `staging left: ${end.staging.join(", ")}`);
      expect(end.bad.length === 0 && end.entries.length >= 1, "no valid entry after the rerun");
      remove(cache);
      remove(out);
      return 0;
    });
  }
  report(f);
} finally {
  remove(m.work);
}
