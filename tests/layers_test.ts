/**
 * The layer order of DESIGN "Layout", checked on the source: every module of lib/ is parsed
 * (comments and doc examples aside) and each import, re-export, dynamic import and Worker URL
 * must point to its own layer or one before it:
 *
 *   data -> pricing -> stats -> strategy -> simulation -> walkforward -> output -> viz
 *
 * The sample market generator (lib/sample/) sits above pricing: it may import data and
 * pricing, and only lib/mod.ts imports it. lib/mod.ts, the public API, may import every layer.
 * Only lib/data (input), lib/output (exports) and the sample generator (which writes the sample
 * market) read or write files.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

const LIB = fileURLToPath(new URL("../lib/", import.meta.url));

/** Rank of each layer: a module may import layers of lower or equal rank. */
const RANK: Record<string, number> = {
  data: 0,
  pricing: 1,
  sample: 1.5,
  stats: 2,
  strategy: 3,
  simulation: 4,
  walkforward: 5,
  output: 6,
  viz: 7,
};

/** Modules whose layer is not their folder (none today). */
const LAYER_OF_FILE: Record<string, string> = {};

/**
 * Known edges awaiting a move owned elsewhere, each with its reason. A listed edge that no
 * longer occurs is reported (and can be deleted), never required.
 */
const PENDING: Record<string, string> = {};

/** Modules allowed to read files outside lib/data and lib/output, each with its reason. */
const FILE_READERS: Record<string, string> = {
  "viz/plotly.ts": "reads the plotly.js library bundle to embed it in reports, not input data",
};

/** Every .ts module under a folder, relative to lib/. */
function modules(dir = LIB): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return modules(path);
    return name.endsWith(".ts") ? [relative(LIB, path)] : [];
  });
}

/** The source without comments (string and template contents kept). */
function stripComments(source: string): string {
  let out = "";
  let i = 0;
  while (i < source.length) {
    const c = source[i], next = source[i + 1];
    if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end < 0 ? source.length : end + 2;
    } else if (c === "/" && next === "/") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === "\\" ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The specifiers a module imports: static and dynamic imports, re-exports, Worker URLs. */
export function importsOf(source: string): string[] {
  const code = stripComments(source);
  const patterns = [
    /\b(?:import|export)\s[^;'"`]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\bnew\s+URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g,
  ];
  return patterns.flatMap((re) => [...code.matchAll(re)].map((m) => m[1]));
}

/** The layer of a module (relative to lib/), or null for lib/mod.ts. */
function layerOf(module: string): string | null {
  if (LAYER_OF_FILE[module]) return LAYER_OF_FILE[module];
  const first = module.split("/")[0];
  return first.endsWith(".ts") ? null : first;
}

Deno.test("the import parser sees imports, re-exports, dynamic imports and Worker URLs, not comments", () => {
  const source = `
    import { a } from "../data/a.ts";
    import type {
      B,
    } from '../stats/b.ts';
    export { c } from "./c.ts";
    export * from "./d.ts";
    import "./side_effect.ts";
    const e = await import("../output/e.ts");
    new Worker(new URL("./_worker.ts", import.meta.url));
    // import { x } from "../viz/x.ts";
    /** @example
     * import { y } from "../mod.ts";
     */
    const s = "not an import: from '../viz/z.ts'";
  `;
  assert.deepEqual(importsOf(source).sort(), [
    "../data/a.ts",
    "../output/e.ts",
    "../stats/b.ts",
    "./_worker.ts",
    "./c.ts",
    "./d.ts",
    "./side_effect.ts",
  ]);
});

Deno.test("every lib/ module imports only its own layer or the layers before it", () => {
  const upward: string[] = [];
  const seen = new Set<string>();
  const all = modules();
  for (const module of all) {
    const from = layerOf(module);
    const source = readFileSync(join(LIB, module), "utf8");
    for (const spec of importsOf(source)) {
      if (!spec.startsWith(".")) continue; // npm:, node: and bare packages
      const target = normalize(join(dirname(module), spec));
      assert.ok(!target.startsWith(".."), `${module} imports ${spec}, outside lib/`);
      const to = layerOf(target);
      assert.ok(to === null || to in RANK, `${module}: unknown layer of ${target}`);
      assert.ok(from === null || from in RANK, `unknown layer of ${module}`);
      const edge = `${module} -> ${target}`;
      if (to === null && from !== null) upward.push(`${edge} (a layer imports lib/mod.ts)`);
      else if (from !== null && to !== null && RANK[to] > RANK[from]) {
        if (PENDING[edge]) seen.add(edge);
        else upward.push(`${edge} (${from} imports ${to})`);
      }
    }
  }
  const stale = Object.keys(PENDING).filter((e) => !seen.has(e));
  if (stale.length) console.log(`No longer needed in PENDING: ${stale.join("; ")}`);
  assert.ok(all.length > 50, `parsed ${all.length} modules`);
  assert.deepEqual(upward, [], `upward imports:\n${upward.join("\n")}`);
});

Deno.test("only lib/data, lib/output and the sample generator read or write files", () => {
  const readers: string[] = [];
  for (const module of modules()) {
    const layer = layerOf(module);
    if (layer === "data" || layer === "output" || layer === "sample") continue;
    if (FILE_READERS[module]) continue;
    const code = stripComments(readFileSync(join(LIB, module), "utf8"));
    const fs = importsOf(code).some((s) => /^(node:)?fs(\/promises)?$/.test(s));
    const deno =
      /\bDeno\.(readFile|readTextFile|writeFile|writeTextFile|open|create|remove|rename|mkdir)/
        .test(code);
    if (fs || deno) readers.push(module);
  }
  assert.deepEqual(readers, []);
});
