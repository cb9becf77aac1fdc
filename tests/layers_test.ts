/**
 * The layer order of DESIGN "Layout", checked on the source: every module of lib/, cli/ and
 * main.ts is parsed (comments and doc examples aside) and each import, re-export, dynamic import
 * and Worker URL must point to its own layer or one before it:
 *
 *   data -> pricing -> stats -> strategy -> simulation -> walkforward -> output -> viz -> app -> cli
 *
 * except that lib/app does not import lib/viz, so that the command line loads no plotting
 * library. The sample market generator (lib/sample/) sits above pricing: it may import data and
 * pricing, and only the public API modules (lib/mod.ts, lib/core.ts) import it; lib/core.ts,
 * the API without the display layer, imports no viz module. The command line (cli/, main.ts)
 * imports lib/ through its entry points only (a layer's mod.ts, lib/core.ts or lib/mod.ts), and
 * no test imports the command line (tests run it as a process). Only lib/data (input),
 * lib/output (exports) and the sample generator (which writes the sample market) read or write
 * files. No module of lib/ and cli/ takes part in an import cycle.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const LIB = join(ROOT, "lib");

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
  app: 8,
  cli: 9,
};

/** Layers a layer must not import though they rank below it, each with its reason. */
const EXCLUDED: Record<string, Record<string, string>> = {
  app: { viz: "the command line runs lib/app and must not load the plotting libraries" },
};

/** Modules whose layer is not their folder: the public API modules. */
const LAYER_OF_FILE: Record<string, string> = {
  "lib/mod.ts": "api",
  "lib/core.ts": "api",
  "main.ts": "cli",
};

/**
 * Known edges awaiting a move owned elsewhere, each with its reason. A listed edge that no
 * longer occurs is reported (and can be deleted), never required.
 */
const PENDING: Record<string, string> = {};

/**
 * Known import cycles awaiting a move owned elsewhere (modules sorted, joined by " <-> "), each
 * with its reason. A listed cycle that no longer occurs is reported, never required.
 */
const PENDING_CYCLES: Record<string, string> = {};

/** Modules allowed to read files outside lib/data and lib/output, each with its reason. */
const FILE_READERS: Record<string, string> = {
  "lib/viz/plotly.ts": "reads the plotly.js library bundle to embed it in reports, not input data",
};

/** Every .ts module under a folder, relative to the repository. */
function modules(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return modules(path);
    return name.endsWith(".ts") ? [relative(ROOT, path)] : [];
  });
}

/** The modules of lib/ and the command line. */
function sourceModules(): string[] {
  return [...modules(LIB), ...modules(join(ROOT, "cli")), "main.ts"];
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

/** How a module refers to another. */
type ImportKind = "static" | "dynamic" | "worker";

/** The specifiers a module refers to, with how: imports and re-exports, dynamic imports, Worker URLs. */
export function importsWithKind(source: string): { spec: string; kind: ImportKind }[] {
  const code = stripComments(source);
  const patterns: [RegExp, ImportKind][] = [
    [/\b(?:import|export)\s[^;'"`]*?\bfrom\s*["']([^"']+)["']/g, "static"],
    [/\bimport\s*["']([^"']+)["']/g, "static"],
    [/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, "dynamic"],
    [/\bnew\s+URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g, "worker"],
  ];
  return patterns.flatMap(([re, kind]) =>
    [...code.matchAll(re)].map((m) => ({ spec: m[1], kind }))
  );
}

/** The specifiers a module imports: static and dynamic imports, re-exports, Worker URLs. */
export function importsOf(source: string): string[] {
  return importsWithKind(source).map((i) => i.spec);
}

/** The layer of a module (relative to the repository). */
function layerOf(module: string): string {
  if (LAYER_OF_FILE[module]) return LAYER_OF_FILE[module];
  const [top, layer] = module.split("/");
  return top === "cli" ? "cli" : layer;
}

/** Whether a module is an entry point of lib/: a layer's mod.ts, lib/core.ts or lib/mod.ts. */
function isEntryPoint(module: string): boolean {
  return /^lib\/([a-z_]+\/)?mod\.ts$/.test(module) || module === "lib/core.ts";
}

/** The relative imports of a module, resolved to paths relative to the repository. */
function edgesOf(module: string): { target: string; kind: ImportKind }[] {
  const source = readFileSync(join(ROOT, module), "utf8");
  return importsWithKind(source)
    .filter((i) => i.spec.startsWith(".")) // npm:, node: and bare packages aside
    .map((i) => ({ target: normalize(join(dirname(module), i.spec)), kind: i.kind }));
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
  const kinds = Object.fromEntries(importsWithKind(source).map((i) => [i.spec, i.kind]));
  assert.equal(kinds["../output/e.ts"], "dynamic");
  assert.equal(kinds["./_worker.ts"], "worker");
  assert.equal(kinds["./d.ts"], "static");
});

Deno.test("every module of lib/ and the command line imports only its own layer or the layers before it", () => {
  const wrong: string[] = [];
  const seen = new Set<string>();
  const all = sourceModules();
  for (const module of all) {
    const from = layerOf(module);
    for (const { target } of edgesOf(module)) {
      assert.ok(!target.startsWith(".."), `${module} imports ${target}, outside the repository`);
      const to = layerOf(target);
      const edge = `${module} -> ${target}`;
      if (from === "cli") {
        if (to !== "cli" && !isEntryPoint(target)) {
          wrong.push(`${edge} (the command line imports lib/ through its entry points)`);
        }
        continue;
      }
      if (from === "api") {
        if (module === "lib/core.ts" && to === "viz") wrong.push(`${edge} (core imports viz)`);
        continue;
      }
      assert.ok(from in RANK, `unknown layer of ${module}`);
      assert.ok(to in RANK || to === "api", `${module}: unknown layer of ${target}`);
      if (to === "api") wrong.push(`${edge} (a layer imports the public API)`);
      else if (to === "sample" && from !== "sample") {
        wrong.push(`${edge} (only the public API imports the sample generator)`);
      } else if (RANK[to] > RANK[from] || EXCLUDED[from]?.[to]) {
        if (PENDING[edge]) seen.add(edge);
        else wrong.push(`${edge} (${from} imports ${to})`);
      }
    }
  }
  const stale = Object.keys(PENDING).filter((e) => !seen.has(e));
  if (stale.length) console.log(`No longer needed in PENDING: ${stale.join("; ")}`);
  assert.ok(all.length > 100, `parsed ${all.length} modules`);
  assert.ok(all.some((m) => layerOf(m) === "app") && all.includes("cli/optimize.ts"));
  assert.deepEqual(wrong, [], `imports against the layers:\n${wrong.join("\n")}`);
});

Deno.test("no test imports the command line (tests run it as a process)", () => {
  const importers: string[] = [];
  for (const module of modules(join(ROOT, "tests"))) {
    for (const { target, kind } of edgesOf(module)) {
      const cli = target.startsWith("cli/") || target === "main.ts";
      if (cli && kind !== "worker") importers.push(`${module} -> ${target}`);
    }
  }
  assert.deepEqual(importers, []);
});

Deno.test("no module of lib/ and the command line takes part in an import cycle", () => {
  // Imports and dynamic imports; a Worker URL starts a module graph of its own.
  const graph = new Map<string, string[]>();
  for (const module of sourceModules()) {
    graph.set(module, edgesOf(module).filter((e) => e.kind !== "worker").map((e) => e.target));
  }
  const cycles = stronglyConnected(graph).filter((c) => c.length > 1).map((c) =>
    c.sort().join(" <-> ")
  );
  const pending = cycles.filter((c) => PENDING_CYCLES[c]);
  const stale = Object.keys(PENDING_CYCLES).filter((c) => !pending.includes(c));
  if (stale.length) console.log(`No longer needed in PENDING_CYCLES: ${stale.join("; ")}`);
  assert.deepEqual(cycles.filter((c) => !PENDING_CYCLES[c]), []);
});

Deno.test("the cycle finder finds a three-module cycle and leaves a chain alone", () => {
  const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]], ["e", []]]);
  assert.deepEqual(
    stronglyConnected(graph).filter((c) => c.length > 1).map((c) => c.sort()),
    [["a", "b", "c"]],
  );
});

/** The strongly connected components of a directed graph (Tarjan), each a list of nodes. */
function stronglyConnected(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

Deno.test("only lib/data, lib/output and the sample generator read or write files", () => {
  const readers: string[] = [];
  for (const module of modules(LIB)) {
    const layer = layerOf(module);
    if (layer === "data" || layer === "output" || layer === "sample") continue;
    if (FILE_READERS[module]) continue;
    const code = stripComments(readFileSync(join(ROOT, module), "utf8"));
    const fs = importsOf(code).some((s) => /^(node:)?fs(\/promises)?$/.test(s));
    const deno =
      /\bDeno\.(readFile|readTextFile|writeFile|writeTextFile|open|create|remove|rename|mkdir)/
        .test(code);
    if (fs || deno) readers.push(module);
  }
  assert.deepEqual(readers, []);
});
