/**
 * `report`: executes every notebook with Jupyter's nbconvert and the Deno kernel and writes
 * reports/<name>.html, self-contained (the Plotly library embedded once per page). When Jupyter
 * is missing it says exactly how to install it.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { parseFlags, ToolError, UsageError } from "./args.ts";
import { ensureSample } from "./sample.ts";

const JUPYTER_HELP = `Jupyter is needed to render reports. On Debian/Ubuntu:
  sudo apt-get install -y jupyter-nbconvert jupyter-client python3-nbformat
or with pip:
  pip install nbconvert jupyter-client nbformat
then register the Deno kernel:
  npx --yes deno@2.9.6 jupyter --install`;

/** How many times a notebook is executed again when some cell's output was lost. */
const RENDER_ATTEMPTS = 3;

/** Output of a command, or null when it cannot be started. */
function tryCommand(
  cmd: string,
  args: string[],
): { ok: boolean; stdout: string; stderr: string } | null {
  try {
    const out = new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).outputSync();
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    return { ok: out.success, stdout: text(out.stdout), stderr: text(out.stderr) };
  } catch {
    return null;
  }
}

/** Runs a jupyter subcommand, failing with its stderr. */
async function jupyter(args: string[], what: string): Promise<void> {
  const out = await new Deno.Command("jupyter", { args, stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new ToolError(`${what} failed:\n${new TextDecoder().decode(out.stderr).slice(-4000)}`);
  }
}

/** Code cells of an executed notebook (JSON text) that have no result or display output. */
function emptyCodeCells(notebookJson: string): number {
  const nb = JSON.parse(notebookJson) as {
    cells: Array<{ cell_type: string; outputs?: Array<{ output_type: string }> }>;
  };
  return nb.cells.filter((c) =>
    c.cell_type === "code" &&
    !(c.outputs ?? []).some((o) =>
      o.output_type === "execute_result" || o.output_type === "display_data"
    )
  ).length;
}

/** Checks for nbconvert and registers the Deno kernel when it is not registered yet. */
function requireJupyter(): void {
  const version = tryCommand("jupyter", ["nbconvert", "--version"]);
  if (!version?.ok) throw new ToolError(`jupyter nbconvert was not found.\n${JUPYTER_HELP}`);
  const kernels = tryCommand("jupyter", ["kernelspec", "list"]);
  if (kernels?.stdout.includes("deno")) return;
  console.error("Registering the Deno Jupyter kernel (deno jupyter --install) ...");
  const install = tryCommand(Deno.execPath(), ["jupyter", "--install"]);
  if (!install?.ok) {
    throw new ToolError(
      `Could not register the Deno kernel: ${install?.stderr ?? "failed to start"}`,
    );
  }
}

/** Executes one notebook into `executed`, again when outputs were lost; returns how many are. */
async function execute(notebook: string, executed: string, name: string): Promise<number> {
  // Every notebook cell ends in a displayed value. The Deno kernel can report a cell idle
  // before its result arrives, and nbconvert then drops that output: execute to a notebook
  // first, and run it again if any code cell came back empty.
  let missing = -1;
  for (let attempt = 1; attempt <= RENDER_ATTEMPTS && missing !== 0; attempt++) {
    const retry = attempt > 1 ? ` (attempt ${attempt}: ${missing} outputs were lost)` : "";
    console.error(`Executing ${name}${retry} ...`);
    await jupyter([
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      "--ExecutePreprocessor.kernel_name=deno",
      "--ExecutePreprocessor.timeout=900",
      "--output",
      executed,
      notebook,
    ], name);
    missing = emptyCodeCells(Deno.readTextFileSync(executed));
  }
  return missing;
}

/**
 * Renders notebooks to HTML with nbconvert and the Deno kernel. Each page is written to a
 * staging folder and moved into place only when complete.
 *
 * @param notebooksDir folder of .ipynb files
 * @param outDir folder of the HTML reports
 * @param only notebook names (without .ipynb) to render; all by default
 */
export async function renderReports(
  notebooksDir: string,
  outDir: string,
  only?: string[],
): Promise<void> {
  requireJupyter();
  ensureSample();
  const notebooks = [...Deno.readDirSync(notebooksDir)].map((e) => e.name)
    .filter((n) => n.endsWith(".ipynb") && (!only || only.includes(n.replace(/\.ipynb$/, ""))))
    .sort();
  if (only) {
    const unknown = only.filter((o) => !notebooks.includes(`${o}.ipynb`));
    if (unknown.length) throw new UsageError(`No such notebook: ${unknown.join(", ")}`);
  }
  if (!notebooks.length) throw new ToolError(`No notebooks in ${notebooksDir}`);
  // The display layer, loaded here only: no other command needs the plotting libraries. The
  // specifier is a variable so that Deno does not resolve the display layer's packages when any
  // command starts (a literal dynamic import costs every command about 0.05 s of start-up).
  const display = "../lib/viz/mod.ts";
  const { selfContainedPage } = await import(display) as typeof import("../lib/viz/mod.ts");
  const staging = `${outDir}/.rendering-${Deno.pid}`;
  Deno.mkdirSync(staging, { recursive: true });
  try {
    for (const name of notebooks) {
      const t0 = performance.now();
      const executed = resolve(staging, name);
      const missing = await execute(join(notebooksDir, name), executed, name);
      if (missing > 0) {
        console.error(
          `Warning: ${missing} cells of ${name} show no output after ${RENDER_ATTEMPTS} runs`,
        );
      }
      await jupyter(
        ["nbconvert", "--to", "html", "--output-dir", resolve(staging), executed],
        name,
      );
      const html = name.replace(/\.ipynb$/, ".html");
      // Self-contained: no scripts loaded from this machine's disk, Plotly embedded once.
      Deno.writeTextFileSync(
        join(staging, html),
        selfContainedPage(Deno.readTextFileSync(join(staging, html))),
      );
      Deno.renameSync(join(staging, html), join(outDir, html));
      console.log(
        `Wrote ${join(outDir, html)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
      );
    }
  } finally {
    Deno.removeSync(staging, { recursive: true });
  }
}

/** `report [--notebooks DIR] [--out DIR] [--only NAMES]`. */
export async function reportCommand(args: string[]): Promise<void> {
  const v = parseFlags(args, {
    notebooks: { type: "string" },
    out: { type: "string" },
    only: { type: "string" },
  });
  await renderReports(
    v.notebooks ? String(v.notebooks) : "notebooks",
    v.out ? String(v.out) : "reports",
    v.only ? String(v.only).split(",").map((x) => x.trim()) : undefined,
  );
}
