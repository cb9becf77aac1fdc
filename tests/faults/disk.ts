/**
 * Full disks and read-only places, on a 64 MB tmpfs mounted for the purpose (as root; elsewhere
 * the kind says it did not run and fails).
 *
 * - Output folder on a full disk (POINTS): the disk is filled but for a seeded number of bytes
 *   below the run's size; on even points the folder holds a previous result. `run --force` fails
 *   with one line naming the folder and leaves the previous result whole (or nothing) and no
 *   temporary.
 * - Cache on a full disk (POINTS): the same with the cache folder there (a seeded number of
 *   bytes below the entry's size left). The run succeeds with the undisturbed result and one
 *   warning line saying the cache cannot be written; no staging folder is left.
 * - Read-only (POINTS): the tmpfs remounted read-only, holding a warm cache (even points) or an
 *   empty one (odd points). The run succeeds with the undisturbed result (a warning when the
 *   entry cannot be written); `run --out` into the read-only place fails with one line naming
 *   it.
 *
 * Usage: `deno run -A tests/faults/disk.ts` (run_faults.ts runs it).
 *
 * @module
 */
import {
  closeSync,
  cpSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import {
  bytesOf,
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
  spawn,
} from "./_common.ts";
import { market } from "./_market.ts";

const m = await market("disk");
const mount = join("/mnt", `mahler-faults-${Deno.pid}`);
const FILLER = "filler";

/** Runs a shell command as root; throws with its stderr when it fails. */
async function sh(...argv: string[]): Promise<void> {
  const res = await spawn(argv, {});
  expect(res.code === 0, `${argv.join(" ")}: ${res.stderr.trim()}`);
}

/** Fills the tmpfs but for about `free` bytes (a page's worth of rounding). */
function fill(free: number): void {
  const fd = openSync(join(mount, FILLER), "w");
  // Big writes first, then smaller ones into what is left (a write that fills the disk may
  // write part of its bytes and still fail: the file's size says how much is there).
  for (const size of [1 << 20, 4096, 1]) {
    const chunk = new Uint8Array(size);
    try {
      for (;;) writeSync(fd, chunk);
    } catch {
      // Full for writes of this size.
    }
  }
  ftruncateSync(fd, Math.max(0, fstatSync(fd).size - free));
  closeSync(fd);
}

/** Empties the tmpfs (writable). */
async function reset(): Promise<void> {
  await sh("mount", "-o", "remount,rw", mount);
  for (const e of Deno.readDirSync(mount)) remove(join(mount, e.name));
}

const runOf = (out: string, cache: string, extra: string[] = []) =>
  mahler(["run", "--config", CONFIG, "--data", m.data, "--out", out, ...extra], {
    MAHLER_CACHE_DIR: cache,
  });

mkdirSync(mount, { recursive: true });
const mounted = await spawn(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mount], {});
try {
  if (mounted.code !== 0) {
    for (const kind of ["full disk: output folder", "full disk: cache", "read-only places"]) {
      const f = figures(kind);
      f.injected = 1;
      f.failures.push(`NOT RUN: cannot mount a tmpfs (${mounted.stderr.trim()}): run as root`);
      report(f);
    }
  } else {
    const fresh = filesOf(join(m.work, "warm"));
    const oldDir = join(m.work, "old");
    const made = await runOf(oldDir, m.cache, ["--set", "exit.profit_target_pct=0.6"]);
    expect(made.code === 0, made.stderr);
    const old = filesOf(oldDir);
    const runBytes = bytesOf(fresh);

    {
      const f = figures("full disk: output folder");
      const next = random(kindSeed(f.kind));
      for (let i = 0; i < POINTS; i++) {
        const free = Math.floor(next() * runBytes);
        await inject(f, `point ${i} (${free} bytes free)`, async () => {
          await reset();
          const out = join(mount, "run");
          const previous = i % 2 === 0;
          if (previous) cpSync(oldDir, out, { recursive: true });
          fill(free);
          const res = await runOf(out, m.cache, ["--force"]);
          const lines = res.stderr.trim().split("\n").filter((l) =>
            !l.startsWith("Loaded ") &&
            !l.startsWith("Backtesting ")
          );
          let lost = 0;
          if (res.code === 0) {
            // Enough room after all (pages are shared out by the page): the run must be whole.
            expect(sameFiles(out, fresh), "a run that fit is not the undisturbed one");
          } else {
            expect(res.code === 1, `exit code ${res.code}: ${res.stderr.trim()}`);
            expect(lines.length === 1, `not one line: ${JSON.stringify(lines)}`);
            expect(lines[0].startsWith(`Error: ${out}`), `does not name the folder: ${lines[0]}`);
            expect(/no space left/.test(lines[0]), `does not say why: ${lines[0]}`);
            if (previous && !sameFiles(out, old)) lost = bytesOf(old);
            expect(previous || !existsSync(out), "a partial folder was left");
          }
          const left = leftovers(mount, ["run", FILLER]);
          expect(left.length === 0, `left behind: ${left.join(", ")}`);
          return lost;
        });
      }
      report(f);
    }

    {
      const f = figures("full disk: cache");
      const entryBytes = 14 << 20;
      const next = random(kindSeed(f.kind));
      for (let i = 0; i < POINTS; i++) {
        const free = Math.floor(next() * entryBytes);
        await inject(f, `point ${i} (${free} bytes free)`, async () => {
          await reset();
          const cache = join(mount, "cache");
          mkdirSync(cache);
          fill(free);
          const out = join(m.work, `cache-full-${i}`);
          remove(out);
          const res = await runOf(out, cache);
          expect(res.code === 0, `the run failed: ${res.stderr.trim()}`);
          expect(sameFiles(out, fresh), "the result differs from an undisturbed run's");
          const warnings = res.stderr.split("\n").filter((l) => l.startsWith("Warning:"));
          expect(warnings.length === 1, `warnings: ${JSON.stringify(warnings)}`);
          expect(
            warnings[0].startsWith(`Warning: Cannot write the cache in ${cache} (no space left`),
            `said: ${warnings[0]}`,
          );
          const left = leftovers(cache, ["file-hashes.json", "tables"]);
          expect(left.length === 0, `left behind in the cache: ${left.join(", ")}`);
          remove(out);
          return 0;
        });
      }
      report(f);
    }

    {
      const f = figures("read-only places");
      for (let i = 0; i < POINTS; i++) {
        const warm = i % 2 === 0;
        await inject(f, `point ${i} (${warm ? "warm" : "empty"} cache)`, async () => {
          await reset();
          const cache = join(mount, "cache");
          if (warm) cpSync(m.cache, cache, { recursive: true });
          else mkdirSync(cache);
          await sh("mount", "-o", "remount,ro", mount);
          const out = join(m.work, `ro-${i}`);
          remove(out);
          const res = await runOf(out, cache);
          expect(res.code === 0, `the run failed: ${res.stderr.trim()}`);
          expect(sameFiles(out, fresh), "the result differs from an undisturbed run's");
          const warnings = res.stderr.split("\n").filter((l) => l.startsWith("Warning:"));
          if (warm) expect(warnings.length === 0, `warnings: ${JSON.stringify(warnings)}`);
          else {
            expect(warnings.length === 1, `warnings: ${JSON.stringify(warnings)}`);
            expect(/read-only file system/.test(warnings[0]), `said: ${warnings[0]}`);
          }
          remove(out);
          const refused = await runOf(join(mount, "run"), m.cache);
          expect(refused.code === 1, `run into a read-only folder: code ${refused.code}`);
          const line = refused.stderr.trim().split("\n").filter((l) => l.startsWith("Error"));
          expect(
            line.length === 1 && line[0].includes(mount) && /read-only/.test(line[0]),
            `said: ${refused.stderr.trim()}`,
          );
          return 0;
        });
      }
      report(f);
    }
  }
} finally {
  if (mounted.code === 0) await spawn(["umount", mount], {});
  remove(mount);
  remove(m.work);
}
