/**
 * The command line's start-up: what `main.ts` loads before it runs a command. Its module graph
 * (as `deno info` resolves it, the dynamic imports Deno can see included) holds no module of
 * lib/viz and none of the plotting libraries (Observable Plot, Plotly, linkedom, Arquero), whose
 * loading once cost every command about 0.3 s, and whose mere resolution about 0.05 s; only
 * `report` loads them, by an import Deno resolves when it runs (tests/notebooks_test.ts runs it).
 */
import assert from "node:assert/strict";

/** One module of `deno info --json`. */
interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
}

/** The module graph of an entry point. */
async function moduleGraph(entry: string): Promise<{
  roots: string[];
  modules: InfoModule[];
  redirects: Record<string, string>;
}> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL(entry, import.meta.url).pathname],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** The modules reachable from the roots, through static imports only or through any. */
function reachable(
  graph: Awaited<ReturnType<typeof moduleGraph>>,
  options: { dynamic: boolean },
): Set<string> {
  const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = [...graph.roots];
  while (stack.length) {
    const specifier = stack.pop()!;
    const resolved = graph.redirects[specifier] ?? specifier;
    if (seen.has(resolved)) continue;
    seen.add(resolved);
    for (const d of bySpecifier.get(resolved)?.dependencies ?? []) {
      if (d.code && (options.dynamic || !d.isDynamic)) stack.push(d.code.specifier);
    }
  }
  return seen;
}

/** What the command line must not load at start-up. */
const DISPLAY = /\/lib\/viz\/|@observablehq\/plot|plotly\.js|linkedom|arquero/;

Deno.test("main.ts loads no display module and no plotting library before a command runs", async () => {
  const graph = await moduleGraph("../main.ts");
  const eager = [...reachable(graph, { dynamic: false })];
  assert.ok(eager.some((s) => s.endsWith("/lib/core.ts")), "main.ts loads lib/core.ts");
  assert.ok(eager.some((s) => s.includes("nodejs-polars")), "and the frame library");
  assert.deepEqual(eager.filter((s) => DISPLAY.test(s)), []);
  const all = [...reachable(graph, { dynamic: true })];
  assert.ok(all.length >= eager.length);
  assert.deepEqual(all.filter((s) => DISPLAY.test(s)), []);
});

Deno.test("the graph check sees the display layer where it is imported", async () => {
  const all = [...reachable(await moduleGraph("../lib/mod.ts"), { dynamic: true })];
  assert.ok(all.some((s) => s.endsWith("/lib/viz/mod.ts")));
  assert.ok(
    all.some((s) => DISPLAY.test(s) && s.startsWith("npm:")),
    "with the plotting libraries",
  );
});

Deno.test("lib/app, the commands' library, loads no display module", async () => {
  const graph = await moduleGraph("../lib/app/mod.ts");
  const all = [...reachable(graph, { dynamic: true })];
  assert.ok(all.some((s) => s.endsWith("/lib/output/mod.ts") || s.includes("/lib/output/")));
  assert.deepEqual(all.filter((s) => DISPLAY.test(s)), []);
});
