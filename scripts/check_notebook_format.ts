/**
 * Checks that the notebooks are formatted as `deno fmt` would write them, by formatting copies in
 * a temporary folder and comparing bytes. `deno fmt --check` on `.ipynb` files (Deno 2.9.6) reports
 * formatted notebooks as unformatted, with an empty diff, until its cache has seen them formatted;
 * `deno task check` therefore checks the notebooks this way and the other files with `--check`.
 *
 * Usage: `deno run -A scripts/check_notebook_format.ts [DIR]` (default notebooks/). Exits 1 and
 * names each notebook `deno fmt` would change.
 *
 * @module
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = Deno.args[0] ?? "notebooks";
const denoJson = JSON.parse(readFileSync(new URL("../deno.json", import.meta.url), "utf8"));
const lineWidth: number = denoJson.fmt?.lineWidth ?? 80;
const names = readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort();
const work = mkdtempSync(join(tmpdir(), "mahler-nbfmt-"));
try {
  for (const name of names) copyFileSync(join(dir, name), join(work, name));
  const fmt = new Deno.Command(Deno.execPath(), {
    // The project's line width, which files outside the project would not get from deno.json.
    args: ["fmt", "--quiet", `--line-width=${lineWidth}`, ...names.map((n) => join(work, n))],
    stdout: "inherit",
    stderr: "inherit",
  }).outputSync();
  if (fmt.code !== 0) Deno.exit(fmt.code);
  const changed = names.filter((n) =>
    !readFileSync(join(dir, n)).equals(readFileSync(join(work, n)))
  );
  for (const n of changed) console.error(`not formatted: ${join(dir, n)} (run deno fmt ${dir})`);
  console.log(`Checked ${names.length} notebooks`);
  if (changed.length > 0) Deno.exit(1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
