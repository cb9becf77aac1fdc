/**
 * Executes every notebook's code cells in order, in Deno without Jupyter (cells concatenated
 * into one module run from the notebooks folder, as the kernel would), records what each cell
 * shows (through `onShow`, the receiver of `show` outside Jupyter), and checks that the notebook
 * ran without an error output and produced what it is for: every cell shows something, the
 * figures are all there and hold data, no output prints NaN, undefined or a raw object, and the
 * notebook closes with its findings table. When Jupyter and the Deno kernel are installed, also
 * renders one notebook to HTML and checks its figures and the absence of error output.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "./helpers/cli.ts";

const NOTEBOOKS = fileURLToPath(new URL("../notebooks/", import.meta.url));
const names = readdirSync(NOTEBOOKS).filter((n) => n.endsWith(".ipynb")).sort();

/**
 * The figures each notebook draws: Observable Plot SVGs (a figure of two panels counts two) and
 * Plotly figures.
 */
const FIGURES: Record<string, { plot: number; plotly: number }> = {
  // the underlyings' closes, VIX and its regimes
  "01_data.ipynb": { plot: 2, plotly: 0 },
  // the two smiles, the term structure; the IV check (Plotly)
  "02_pricing.ipynb": { plot: 3, plotly: 1 },
  // the frontier, the candidate counts (two panels)
  "03_scanner.ipynb": { plot: 3, plotly: 0 },
  // the tear sheet's 12 SVGs (exposure has two panels, the worst drawdowns are a table), the
  // slippage sweep
  "04_simulation.ipynb": { plot: 14, plotly: 0 },
  // window Sharpe, grid heat map, the chosen values (four panels), alpha decay, PBO, and the
  // stitched run's tear sheet up to P&L by exit reason (9 SVGs)
  "05_walkforward.ipynb": { plot: 17, plotly: 0 },
  // P&L by VIX regime and by underlying (side by side), regime × exit reason, regime Sharpe,
  // market regimes
  "06_regimes.ipynb": { plot: 5, plotly: 0 },
  // the strategies' equity and drawdowns, their Sharpe ratios, P&L by VIX regime
  "07_strategies.ipynb": { plot: 4, plotly: 0 },
};

/** Observable Plot marks that draw data (axes, grids and rules do not). */
const DATA_MARKS = new Set([
  "line",
  "dot",
  "bar",
  "area",
  "rect",
  "cell",
  "text",
  "tick",
  "link",
  "arrow",
  "image",
  "box",
]);

interface Notebook {
  cells: Array<{ cell_type: string; source: string[] | string }>;
}

/** One value a notebook showed: the cell (1-based, among code cells) and the MIME bundle. */
interface Shown {
  cell: number;
  mime: string;
  body: string;
}

/** What a notebook's script showed and wrote, and how it ended. */
interface NotebookRun {
  code: number;
  stderr: string;
  codeCells: number;
  shown: Shown[];
}

/** The first lines of the script: record every value `show` hands over, by cell. */
const PRELUDE = `import { onShow as __onShow } from "../lib/viz/display.ts";
const __shown = [];
let __cell = 0;
__onShow((value) => {
  const bundle = value?.[Symbol.for("Jupyter.display")]?.();
  const mime = bundle ? Object.keys(bundle)[0] : "text/plain";
  __shown.push({ cell: __cell, mime, body: bundle ? bundle[mime] : Deno.inspect(value) });
});
`;

/** The notebook's code cells as one script that records what they show into `shownFile`. */
function scriptOf(name: string, shownFile: string): { script: string; codeCells: number } {
  const nb = JSON.parse(readFileSync(join(NOTEBOOKS, name), "utf8")) as Notebook;
  const cells = nb.cells.filter((c) => c.cell_type === "code")
    .map((c) => Array.isArray(c.source) ? c.source.join("") : c.source);
  const body = cells.map((source, i) => `// --- cell ${i + 1}\n__cell = ${i + 1};\n${source}\n`)
    .join("\n");
  const end = `\nDeno.writeTextFileSync(${JSON.stringify(shownFile)}, JSON.stringify(__shown));\n`;
  return { script: PRELUDE + body + end, codeCells: cells.length };
}

/** Runs a notebook's cells in a fresh Deno process and collects what they showed. */
async function runNotebook(name: string): Promise<NotebookRun> {
  const work = mkdtempSync(join(tmpdir(), "mahler-nbtest-"));
  const shownFile = join(work, "shown.json");
  const script = join(NOTEBOOKS, `.nbtest-${name.replace(".ipynb", "")}.ts`);
  const { script: text, codeCells } = scriptOf(name, shownFile);
  writeFileSync(script, text);
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", script],
      cwd: NOTEBOOKS,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    let shown: Shown[] = [];
    try {
      shown = JSON.parse(readFileSync(shownFile, "utf8"));
    } catch {
      // the script stopped before its last line: the exit code says why
    }
    return { code: out.code, stderr, codeCells, shown };
  } finally {
    rmSync(script, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

/** Lines of stderr that are errors or warnings, not Deno fetching and setting up packages. */
function errorLines(stderr: string): string[] {
  const ESC = String.fromCharCode(27); // colour codes of Deno's own messages
  return stderr.replaceAll(new RegExp(`${ESC}\\[[0-9;]*m`, "g"), "").split("\n").map((l) =>
    l.trim()
  )
    .filter((l) => l !== "" && !/^(Download|Initialize|Downloading|Check) /.test(l));
}

/** The Observable Plot SVGs of some markup, each as its own markup. */
function plotSvgs(markup: string): string[] {
  return markup.match(/<svg[^>]*class="plot-[a-z0-9]+"[\s\S]*?<\/svg>/g) ?? [];
}

/** Whether an SVG draws data: a data mark with at least one shape in it. */
function drawsData(svg: string): boolean {
  for (const m of svg.matchAll(/<g\b[^>]*\baria-label="([a-z-]+)"[^>]*>([\s\S]*?)<\/g>/g)) {
    if (DATA_MARKS.has(m[1]) && /<(path|rect|circle|text|line|image)\b/.test(m[2])) return true;
  }
  return false;
}

/** The Plotly figures of some markup (the div each draws into). */
function plotlyFigures(markup: string): string[] {
  return markup.match(/<div[^>]*class="mahler-plotly"/g) ?? [];
}

/** Whether every Plotly figure of some markup has a trace with points. */
function plotlyDrawsData(markup: string): boolean[] {
  return [...markup.matchAll(/var s=(\{[\s\S]*?\});if\(window\.Plotly\)/g)].map((m) => {
    const spec = JSON.parse(m[1]) as { data: Array<{ x?: unknown[]; y?: unknown[] }> };
    return spec.data.some((t) => (t.x?.length ?? 0) > 0 || (t.y?.length ?? 0) > 0);
  });
}

/** The findings tables of some markup (the table `findingsTable` writes). */
function findingsTables(markup: string): string[] {
  return (markup.match(/<table class="mahler-table">[\s\S]*?<\/table>/g) ?? [])
    .filter((t) => t.includes(">how it is computed<"));
}

/** Text of some markup, tags dropped (scripts and styles too). */
function textOf(markup: string): string {
  return markup.replace(/<(script|style)\b[\s\S]*?<\/\1>/g, " ").replace(/<[^>]+>/g, " ");
}

Deno.test("there are seven notebooks, 01_data to 07_strategies", () => {
  assert.deepEqual(names, Object.keys(FIGURES));
});

Deno.test("the checks catch an empty figure, a missing findings table and a raw object", () => {
  const empty = `<svg class="plot-1a"><g aria-label="x-axis tick"><path d="M0,0"></path></g>` +
    `<g aria-label="line"></g></svg>`;
  const drawn = `<svg class="plot-1a"><g fill="none" aria-label="line"><path d="M0,0L1,1"></path>` +
    `</g></svg>`;
  assert.deepEqual(plotSvgs(empty + drawn).map(drawsData), [false, true]);
  const findings = `<table class="mahler-table"><thead><tr><th>finding</th>` +
    `<th>how it is computed</th></tr></thead><tbody></tbody></table>`;
  assert.equal(findingsTables(findings).length, 1);
  const figure = (data: string) =>
    `<div class="mahler-plotly"></div><script>(function(){var s={"data":[{"x":${data},` +
    `"y":${data}}],"layout":{}};if(window.Plotly){Plotly.newPlot("a",s.data,s.layout);}})()` +
    `</script>`;
  assert.deepEqual(plotlyDrawsData(figure("[1,2]") + figure("[]")), [true, false]);
  assert.equal(findingsTables(findings.replace("how it is computed", "note")).length, 0);
  assert.deepEqual(errorLines("Download https://x\n\x1b[32mInitialize\x1b[0m y\nWarning: z\n"), [
    "Warning: z",
  ]);
  assert.match(textOf("<p>win rate NaN</p><script>var undefined;</script>"), /NaN/);
  assert.doesNotMatch(textOf("<p>ok</p><script>var undefined;</script>"), /undefined/);
});

for (const name of names) {
  Deno.test(`notebook ${name} runs top to bottom and shows its figures and findings`, async () => {
    const run = await runNotebook(name);
    assert.equal(run.code, 0, `${name} failed:\n${run.stderr.slice(-3000)}`);
    assert.deepEqual(errorLines(run.stderr), [], `${name} wrote to stderr`);
    // Every code cell ends in a displayed value (the report's renderer relies on it).
    const silent = Array.from({ length: run.codeCells }, (_, i) => i + 1)
      .filter((cell) => !run.shown.some((s) => s.cell === cell));
    assert.deepEqual(silent, [], `${name}: code cells that show nothing`);
    // Rich outputs only: HTML or Markdown, never an object printed as it is.
    const raw = run.shown.filter((s) => s.mime !== "text/html" && s.mime !== "text/markdown");
    assert.deepEqual(raw.map((s) => `cell ${s.cell}: ${s.body.slice(0, 80)}`), [], name);
    for (const s of run.shown) {
      const bad = textOf(s.body).match(/\bNaN\b|\bundefined\b|\[object Object\]/);
      assert.equal(bad, null, `${name}, cell ${s.cell}: "${bad?.[0]}" in ${s.body.slice(0, 200)}`);
    }
    const markup = run.shown.map((s) => s.body).join("\n");
    const svgs = plotSvgs(markup);
    assert.equal(svgs.length, FIGURES[name].plot, `${name}: Observable Plot figures`);
    const empty = svgs.map((svg, i) => [i + 1, drawsData(svg)] as const).filter(([, ok]) => !ok);
    assert.deepEqual(empty.map(([i]) => i), [], `${name}: figures without data`);
    assert.equal(plotlyFigures(markup).length, FIGURES[name].plotly, `${name}: Plotly figures`);
    const plotly = plotlyDrawsData(markup);
    assert.equal(plotly.length, FIGURES[name].plotly, `${name}: Plotly figures' data`);
    assert.ok(plotly.every(Boolean), `${name}: a Plotly figure without data`);
    // It closes with its findings table (captioned "Findings"), with its rows.
    const closing = run.shown.filter((s) => s.cell === run.codeCells)
      .filter((s) => /class="mahler-caption"[^>]*>Findings</.test(s.body))
      .flatMap((s) => findingsTables(s.body));
    assert.equal(closing.length, 1, `${name}: the findings table in its last cell`);
    const rows = closing[0].match(/<tr>[\s\S]*?<\/tr>/g)?.slice(1) ?? [];
    assert.ok(rows.length >= 5, `${name}: the findings table has ${rows.length} rows`);
  });
}

function jupyterReady(): boolean {
  try {
    const out = new Deno.Command("jupyter", {
      args: ["kernelspec", "list"],
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    return out.success && new TextDecoder().decode(out.stdout).includes("deno");
  } catch {
    return false;
  }
}

Deno.test({
  name: "a notebook rendered by Jupyter holds its figures and no error output",
  ignore: !jupyterReady(),
  fn: async () => {
    const outDir = mkdtempSync(join(tmpdir(), "mahler-report-"));
    const out = await runCli(
      ["report", "--only", "04_simulation", "--out", outDir],
      {},
      fileURLToPath(new URL("..", import.meta.url)),
    );
    assert.equal(out.code, 0, out.stderr.slice(-3000));
    const html = readFileSync(join(outDir, "04_simulation.html"), "utf8");
    // The notebook shows the tear sheet's figures as Observable Plot SVGs (equity, drawdown,
    // monthly and annual returns, rolling Sharpe, return histogram, exposure's two panels, P&L by
    // exit reason, P&L against delta, VIX, IV rank and DTE at entry) and the slippage sweep, and
    // tables (funnel, trade log, worst drawdowns, findings); it writes nothing to stderr and loads
    // no script from the rendering machine's disk.
    assert.equal(
      (html.match(/<svg[^>]*class="plot-[a-z0-9]+"/g) ?? []).length,
      FIGURES["04_simulation.ipynb"].plot,
      "Observable Plot figures",
    );
    assert.ok((html.match(/class="mahler-table"/g) ?? []).length >= 4, "tables");
    assert.ok(findingsTables(html).length >= 1, "the findings table");
    assert.ok(
      !/data-mime-type="application\/vnd\.jupyter\.stderr"|Traceback|"ename"/.test(html),
      "no error output",
    );
    assert.ok(!/<script\b[^>]*\bsrc=/.test(html), "no externally loaded scripts");
  },
});
