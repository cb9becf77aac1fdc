/**
 * `deno doc --lint` over every entry point deno.json exports: each exported symbol documented,
 * with an explicit return type, and no exported type that refers to an unexported one.
 *
 * One kind of diagnostic is dropped: a reference to a type of another package (nodejs-polars'
 * `DataFrame`, Observable Plot's `PlotOptions`). Deno 2.9's `deno doc` reports those as private
 * types although they are their package's public API (denoland/deno#27364, fixed upstream by
 * denoland/deno#34339). A type counts as another package's when no module of lib/ declares it.
 *
 * Files another line of work is rewriting can be listed in PENDING: their diagnostics are shown
 * and counted, but do not fail the check; an entry with none left is reported as stale.
 *
 * Usage: `deno run -A scripts/doc_lint.ts`. Exits 1 when any other diagnostic remains.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = new URL("../", import.meta.url).pathname;

/** Files whose documentation is being rewritten elsewhere, each with the reason. */
const PENDING: Record<string, string> = {};

/** One diagnostic of `deno doc --lint`. */
interface Diagnostic {
  kind: string;
  message: string;
  file: string;
  text: string;
}

/** Every .ts module under a folder. */
function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return modules(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** The names lib/ declares at the top level of a module. */
function declaredNames(): Set<string> {
  const names = new Set<string>();
  const re =
    /^(?:export\s+)?(?:declare\s+)?(?:abstract\s+)?(?:interface|type|class|enum|namespace|function|const|let)\s+([A-Za-z_$][\w$]*)/gm;
  for (const file of modules(join(ROOT, "lib"))) {
    for (const m of readFileSync(file, "utf8").matchAll(re)) names.add(m[1]);
  }
  return names;
}

/** The diagnostics of `deno doc --lint` on some entry points. */
function docLint(entries: string[]): Diagnostic[] {
  const out = new Deno.Command(Deno.execPath(), {
    args: ["doc", "--lint", ...entries],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
  const blocks = text.split(/\n(?=error\[)/).filter((b) => b.startsWith("error["));
  return blocks.map((block) => {
    const head = /^error\[([\w-]+)\]: (.*)$/m.exec(block)!;
    const at = /-->\s+(\S+?):\d+:\d+/.exec(block);
    return {
      kind: head[1],
      message: head[2],
      file: at ? relative(ROOT, at[1]) : "?",
      text: block.replace(/\nerror: Found \d+ documentation lint errors?\.[\s\S]*$/, "").trim(),
    };
  });
}

if (import.meta.main) {
  const config = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8"));
  const entries = Object.values(config.exports as Record<string, string>);
  const declared = declaredNames();
  const all = docLint(entries);
  const external = (d: Diagnostic) => {
    const m = /references private type '([^']+)'/.exec(d.message);
    return d.kind === "private-type-ref" && m !== null && !declared.has(m[1]);
  };
  const kept = all.filter((d) => !external(d));
  const pending = kept.filter((d) => PENDING[d.file]);
  const failing = kept.filter((d) => !PENDING[d.file]);
  for (const d of failing) console.log(d.text + "\n");
  const byFile = new Map<string, number>();
  for (const d of pending) byFile.set(d.file, (byFile.get(d.file) ?? 0) + 1);
  for (const [file, n] of byFile) console.log(`pending: ${file}: ${n} (${PENDING[file]})`);
  const stale = Object.keys(PENDING).filter((f) => !byFile.has(f));
  if (stale.length) console.log(`No longer needed in PENDING: ${stale.join(", ")}`);
  console.log(
    `deno doc --lint on ${entries.length} entry points: ${failing.length} diagnostics, ` +
      `${pending.length} pending, ${all.length - kept.length} references to other packages' ` +
      `types left aside`,
  );
  Deno.exit(failing.length ? 1 : 0);
}
