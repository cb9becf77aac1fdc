/// <reference lib="dom" />
/**
 * Every rendered report (reports/<notebook>.html), opened in headless Chromium as a reader would
 * open it: Debian's chromium from the PATH, driven by playwright-core, one browser, pages in
 * sequence. Each page must show no console or page error, request nothing beyond itself (no
 * network, no other file), draw every Plotly and Observable Plot figure with data, and show no raw
 * object dump and no `NaN`, `undefined` or `[object Object]` in its text.
 *
 * Without chromium or without rendered reports the test is ignored (reported as skipped, never as
 * passed), except in CI (CI=true), where .ci/run installs chromium and renders the reports first:
 * there it fails. Known defects of today's reports are listed in KNOWN_DEFECTS: each is asserted
 * to be still present, so its entry must go when it is fixed.
 *
 * With MAHLER_SCREENSHOTS=DIR, a full-page screenshot of each report and one of each figure are
 * written to DIR (e.g. `screenshots/`, gitignored), for a person to look at.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const REPORTS = join(ROOT, "reports");
const NOTEBOOKS = join(ROOT, "notebooks");
const IN_CI = Deno.env.get("CI") === "true";
const SCREENSHOTS = Deno.env.get("MAHLER_SCREENSHOTS");

/** What is checked on every page. */
type CheckId =
  | "console-errors"
  | "page-errors"
  | "network-requests"
  | "other-files"
  | "plotly-data"
  | "plot-svg-data"
  | "raw-object-dump"
  | "bad-text";

const CHECKS: Record<CheckId, string> = {
  "console-errors": "no console errors",
  "page-errors": "no uncaught page errors",
  "network-requests": "no request leaving the page (only file:, data:, blob:, about:)",
  "other-files": "no file loaded besides the page itself",
  "plotly-data": "every Plotly figure drawn, with data",
  "plot-svg-data": "every Observable Plot figure has a data mark",
  "raw-object-dump": "no raw object dump in an output",
  "bad-text": "no NaN, undefined or [object Object] in the outputs' text",
};

/**
 * Defects of today's reports (issue 13), as (report, check) pairs expected to fail. Each is
 * asserted to be still present: when a fix removes one, this test fails until its entry is
 * deleted here, and from then on the check guards the fix. Empty this list, do not extend it.
 */
const KNOWN_DEFECTS: ReadonlyArray<readonly [report: string, check: CheckId]> = [];

/**
 * A page in nbconvert's layout with one instance of every defect the checks look for: each check
 * must catch it (the network request goes nowhere: the browser context is offline).
 */
const DEFECTIVE_PAGE = `<!DOCTYPE html><html><head><title>defects</title></head><body>
<div class="jp-Cell jp-MarkdownCell"><div class="jp-RenderedMarkdown">Prose [object Object]</div></div>
<div class="jp-Cell jp-CodeCell">
  <div class="jp-OutputArea-output">[ { regime: "15-25", trades: 12 } ]</div>
  <div class="jp-OutputArea-output">win rate NaN, P&amp;L undefined</div>
  <div class="jp-OutputArea-output"><div id="mahler-plotly-1" class="mahler-plotly"></div></div>
  <div class="jp-OutputArea-output"><figure><svg class="plot-0a1b2c"><g aria-label="x-axis tick"><path d="M0,0"></path></g><g aria-label="line"></g></svg></figure></div>
  <div class="jp-OutputArea-output"><img src="file:///nonexistent/mahler-logo.png" alt=""></div>
</div>
<script>console.error("a console error");
fetch("http://127.0.0.1:9/beacon").catch(() => {});
setTimeout(() => { throw new Error("an uncaught error"); }, 0);</script>
</body></html>`;

/** Debian's chromium (or chromium-browser) from the PATH, or null. */
function findChromium(): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(delimiter)) {
    for (const name of ["chromium", "chromium-browser"]) {
      const path = join(dir, name);
      try {
        if (Deno.statSync(path).isFile) return path;
      } catch {
        // not in this folder
      }
    }
  }
  return null;
}

const chromiumPath = findChromium();
const expected = readdirSync(NOTEBOOKS).filter((n) => n.endsWith(".ipynb"))
  .map((n) => n.replace(/\.ipynb$/, "")).sort();
const rendered = new Set(
  existsSync(REPORTS)
    ? readdirSync(REPORTS).filter((n) => n.endsWith(".html")).map((n) => n.replace(/\.html$/, ""))
    : [],
);
const runnable = chromiumPath !== null && expected.some((n) => rendered.has(n));

/** What one page showed. */
interface PageFindings {
  failures: Record<CheckId, string[]>;
  figures: number;
}

/** Texts that look like a JSON or JavaScript object printed as is. */
const RAW_OBJECT = [
  /\[object Object\]/,
  /[[{]\s*"[^"\n]{0,80}"\s*:/, // JSON: {"key": or [{"key":
  /\{\s*[A-Za-z_$][\w$]*\s*:\s/, // console.log / Deno.inspect style: { key: value
];
const BAD_TEXT = /\bNaN\b|\bundefined\b|\[object Object\]/g;

/** A pattern matching a text literally. */
function literal(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
}

/** Excerpt around the first match of a pattern, on one line. */
function excerpt(text: string, pattern: RegExp): string {
  const at = text.search(pattern);
  return JSON.stringify(text.slice(Math.max(0, at - 30), at + 60).replace(/\s+/g, " "));
}

/** Opens one page, runs every check, and takes the screenshots when asked. */
async function inspectPage(
  context: BrowserContext,
  file: string,
  screenshotName?: string,
): Promise<PageFindings> {
  const failures = Object.fromEntries(
    Object.keys(CHECKS).map((k) => [k, [] as string[]]),
  ) as Record<CheckId, string[]>;
  const url = pathToFileURL(file).href;
  const page: Page = await context.newPage();
  page.on("console", (msg) => {
    if (msg.type() === "error") failures["console-errors"].push(msg.text().slice(0, 300));
  });
  page.on("pageerror", (err) => failures["page-errors"].push(err.message.slice(0, 300)));
  page.on("request", (req) => {
    const target = req.url();
    if (!/^(file|data|blob|about):/.test(target)) {
      failures["network-requests"].push(target.slice(0, 200));
    } else if (target.startsWith("file:") && target.split("#")[0] !== url) {
      failures["other-files"].push(target.slice(0, 200));
    }
  });
  page.on("websocket", (ws) => failures["network-requests"].push(ws.url().slice(0, 200)));
  try {
    await page.goto(url, { waitUntil: "load", timeout: 60_000 });
    // Plotly may draw after the load event; give every figure time to appear (when there is no
    // Plotly library at all, nothing will).
    await page.waitForFunction(
      () =>
        !("Plotly" in globalThis) ||
        [...document.querySelectorAll(".mahler-plotly")].every((el) =>
          el.classList.contains("js-plotly-plot")
        ),
      undefined,
      { timeout: 15_000 },
    ).catch(() => {/* reported by the Plotly check below */});
    await page.evaluate(() => document.fonts.ready);

    const seen = await page.evaluate(() => {
      type PlotlyDiv = HTMLElement & { data?: Array<Record<string, unknown>> };
      const points = (trace: Record<string, unknown>) =>
        ["x", "y", "z", "values", "lat", "r", "dimensions"].reduce((n, key) => {
          const v = trace[key];
          return Math.max(
            n,
            Array.isArray(v) || ArrayBuffer.isView(v) ? (v as ArrayLike<unknown>).length : 0,
          );
        }, 0);
      const plotly = [...document.querySelectorAll<PlotlyDiv>(".js-plotly-plot")].map((el) => ({
        id: el.id,
        traces: el.data?.length ?? 0,
        withPoints: (el.data ?? []).filter((t) => points(t) > 0).length,
        drawn: el.querySelectorAll("g.trace, g.hm, .imagelayer image, g.contour").length,
      }));
      const undrawn = [...document.querySelectorAll(".mahler-plotly")]
        .filter((el) => !el.classList.contains("js-plotly-plot")).map((el) => el.id);
      const plots = [...document.querySelectorAll("svg")]
        .filter((svg) => /^plot-[0-9a-f]+$/.test(svg.getAttribute("class") ?? ""))
        .map((svg) => {
          const marks = [...svg.querySelectorAll(":scope > g[aria-label]")]
            .filter((g) => !/axis|grid|frame|rule/.test(g.getAttribute("aria-label") ?? ""));
          return {
            title: svg.closest("figure")?.querySelector("h2, h3")?.textContent ?? "(untitled)",
            dataElements: marks.reduce((n, g) => n + g.querySelectorAll("*").length, 0),
          };
        });
      const textOf = (selector: string) =>
        [...document.querySelectorAll<HTMLElement>(selector)].map((el) => el.innerText);
      return {
        plotly,
        undrawn,
        plots,
        outputs: textOf(".jp-OutputArea-output"),
        prose: textOf(".jp-RenderedMarkdown").join("\n"),
      };
    });

    for (const id of seen.undrawn) {
      failures["plotly-data"].push(`${id} was never drawn (Plotly missing or failing)`);
    }
    for (const fig of seen.plotly) {
      if (fig.traces === 0 || fig.withPoints === 0 || fig.drawn === 0) {
        failures["plotly-data"].push(
          `${fig.id}: ${fig.traces} traces, ${fig.withPoints} with points, ${fig.drawn} drawn`,
        );
      }
    }
    for (const plot of seen.plots) {
      if (plot.dataElements === 0) failures["plot-svg-data"].push(`"${plot.title}" has no data`);
    }
    seen.outputs.forEach((text, i) => {
      const pattern = RAW_OBJECT.find((p) => p.test(text));
      if (pattern) failures["raw-object-dump"].push(`output ${i + 1}: ${excerpt(text, pattern)}`);
    });
    // Every computed value, templated prose included, is in a cell's output. The markdown cells
    // are written text, where "NaN greeks" or "the Sharpe is undefined" are plain English: only
    // an object printed into them counts there. Code inputs are not checked.
    const outputText = seen.outputs.join("\n");
    for (const match of new Set(outputText.match(BAD_TEXT) ?? [])) {
      failures["bad-text"].push(`output: ${excerpt(outputText, literal(match))}`);
    }
    if (/\[object Object\]/.test(seen.prose)) {
      failures["bad-text"].push(`prose: ${excerpt(seen.prose, /\[object Object\]/)}`);
    }

    if (SCREENSHOTS && screenshotName) await screenshots(page, screenshotName);
    return { failures, figures: seen.plotly.length + seen.plots.length };
  } finally {
    await page.close();
  }
}

/** A full-page screenshot and one per figure, into MAHLER_SCREENSHOTS. */
async function screenshots(page: Page, name: string): Promise<void> {
  const dir = resolve(SCREENSHOTS!);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  const figures = await page.locator(
    "figure:has(> svg[class^='plot-']), svg[class^='plot-']:not(figure > svg), .js-plotly-plot",
  ).all();
  for (const [i, figure] of figures.entries()) {
    const kind = await figure.evaluate((el) =>
      el.classList.contains("js-plotly-plot") ? "plotly" : "plot"
    );
    const file = `${name}-figure-${String(i + 1).padStart(2, "0")}-${kind}.png`;
    await figure.scrollIntoViewIfNeeded();
    await figure.screenshot({ path: join(dir, file) });
  }
}

Deno.test({
  name: "rendered reports in headless Chromium",
  // Ignored (reported as skipped) without chromium or reports, except in CI.
  ignore: !runnable && !IN_CI,
  // One browser serves every page; it is closed at the end of the test.
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    assert.ok(chromiumPath, "chromium is not on the PATH (apt-get install -y chromium)");
    assert.ok(rendered.size > 0, "no reports in reports/ (deno task report renders them)");
    const profile = mkdtempSync(join(tmpdir(), "mahler-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1280, height: 900 },
      offline: true,
      timeout: 60_000,
    });
    try {
      await t.step("a page with every defect fails every check", async () => {
        const dir = mkdtempSync(join(tmpdir(), "mahler-defects-"));
        try {
          const file = join(dir, "defects.html");
          writeFileSync(file, DEFECTIVE_PAGE);
          const { failures } = await inspectPage(context, file);
          for (const check of Object.keys(CHECKS) as CheckId[]) {
            assert.ok(failures[check].length > 0, `${check} is not detected`);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
      for (const name of expected) {
        await t.step({
          name,
          ignore: !rendered.has(name) && !IN_CI,
          fn: async (t) => {
            assert.ok(rendered.has(name), `reports/${name}.html was not rendered`);
            const report = join(REPORTS, `${name}.html`);
            if (
              Deno.statSync(report).mtime! < Deno.statSync(join(NOTEBOOKS, `${name}.ipynb`)).mtime!
            ) {
              console.warn(`reports/${name}.html is older than its notebook: deno task report`);
            }
            const { failures, figures } = await inspectPage(context, report, name);
            console.log(`${name}: ${figures} figures`);
            for (const [check, what] of Object.entries(CHECKS) as Array<[CheckId, string]>) {
              const known = KNOWN_DEFECTS.some(([r, c]) => r === name && c === check);
              const found = failures[check];
              await t.step(known ? `${what} [known defect, still present]` : what, () => {
                if (known) {
                  assert.ok(
                    found.length > 0,
                    `${name}: the known defect "${check}" is gone: delete its KNOWN_DEFECTS entry`,
                  );
                  console.log(`known defect, ${name} ${check}:\n  ${found.join("\n  ")}`);
                } else {
                  assert.deepEqual(found, [], `${name}: ${what}`);
                }
              });
            }
          },
        });
      }
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  },
});
