/**
 * Runs the whole test suite (`deno test`, doc examples included) and closes with one plain line
 * `N passed, N failed` counted from Deno's JUnit report, so that any CI can read the outcome.
 * Ignored or filtered-out tests count as neither and are reported on the line before.
 *
 * Usage: `deno task test [extra deno test args]`.
 *
 * @module
 */
import { readFile, rm } from "node:fs/promises";

const reportPath = ".test-report.xml";
const args = [
  "test",
  "-A",
  "--doc",
  `--junit-path=${reportPath}`,
  ...Deno.args,
];
// Tests never touch the user's chain cache: they get a folder of their own, removed after.
const cacheDir = Deno.env.get("MAHLER_CACHE_DIR") ??
  await Deno.makeTempDir({ prefix: "mahler-test-cache-" });
// Nor do they leave temporary folders behind (the doc examples write sample markets with
// Deno.makeTempDir): every temporary folder of the run lives under one, removed after.
const tempDir = await Deno.makeTempDir({ prefix: "mahler-test-tmp-" });
const child = new Deno.Command(Deno.execPath(), {
  args,
  stdout: "inherit",
  stderr: "inherit",
  env: { MAHLER_CACHE_DIR: cacheDir, TMPDIR: tempDir },
}).spawn();
const status = await child.status;
if (!Deno.env.get("MAHLER_CACHE_DIR")) await rm(cacheDir, { recursive: true, force: true });
await rm(tempDir, { recursive: true, force: true }).catch((e) =>
  console.log(`Could not remove the tests' temporary folder ${tempDir}: ${e.message}`)
);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const xml = await readFile(reportPath, "utf8");
  const suites = xml.match(/<testsuites [^>]*>/);
  if (suites) {
    const tests = Number(suites[0].match(/ tests="(\d+)"/)?.[1] ?? 0);
    const failures = Number(suites[0].match(/ failures="(\d+)"/)?.[1] ?? 0);
    const errors = Number(suites[0].match(/ errors="(\d+)"/)?.[1] ?? 0);
    // Ignored and filtered-out tests are listed with <skipped/>: neither passed nor failed.
    skipped = xml.match(/<skipped\s*\/>/g)?.length ?? 0;
    failed = failures + errors;
    passed = tests - failed - skipped;
  }
  await rm(reportPath, { force: true });
} catch {
  // No report: the run failed before any test executed (e.g. a type error).
}
if (!status.success && failed === 0) failed = 1;
if (skipped > 0) console.log(`${skipped} skipped (ignored or filtered out)`);
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(status.success ? 0 : 1);
