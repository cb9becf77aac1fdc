/**
 * Executes every notebook's code cells in order, in Deno without Jupyter (cells concatenated
 * into one module run from the notebooks folder, as the kernel would), and fails on any error.
 * When Jupyter and the Deno kernel are installed, also renders one notebook to HTML and checks
 * its figures and the absence of error output.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "./helpers/cli.ts";

const NOTEBOOKS = fileURLToPath(new URL("../notebooks/", import.meta.url));
const names = readdirSync(NOTEBOOKS).filter((n) => n.endsWith(".ipynb")).sort();

interface Notebook {
  cells: Array<{ cell_type: string; source: string[] | string }>;
}

function codeOf(name: string): string {
  const nb = JSON.parse(readFileSync(join(NOTEBOOKS, name), "utf8")) as Notebook;
  return nb.cells.filter((c) => c.cell_type === "code")
    .map((c, i) =>
      `// --- cell ${i + 1}\n${Array.isArray(c.source) ? c.source.join("") : c.source}\n`
    ).join("\n");
}

Deno.test("there are seven notebooks, 01_data to 07_strategies", () => {
  assert.deepEqual(names, [
    "01_data.ipynb",
    "02_pricing.ipynb",
    "03_scanner.ipynb",
    "04_simulation.ipynb",
    "05_walkforward.ipynb",
    "06_regimes.ipynb",
    "07_strategies.ipynb",
  ]);
});

for (const name of names) {
  Deno.test(`notebook ${name} runs top to bottom without error`, async () => {
    const script = join(NOTEBOOKS, `.nbtest-${name.replace(".ipynb", "")}.ts`);
    writeFileSync(script, codeOf(name));
    try {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", script],
        cwd: NOTEBOOKS,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, `${name} failed:\n${stderr.slice(-3000)}`);
    } finally {
      rmSync(script, { force: true });
    }
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
      14,
      "Observable Plot figures",
    );
    assert.ok((html.match(/class="mahler-table"/g) ?? []).length >= 4, "tables");
    assert.ok(
      !/data-mime-type="application\/vnd\.jupyter\.stderr"|Traceback|"ename"/.test(html),
      "no error output",
    );
    assert.ok(!/<script\b[^>]*\bsrc=/.test(html), "no externally loaded scripts");
  },
});
