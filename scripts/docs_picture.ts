/**
 * Renders the README's picture, `docs/walk_forward.png`: the walk-forward of
 * `config/default.toml` on the sample market (what `deno task optimize` runs), drawn with the
 * library's own figures — the stitched out-of-sample equity against SPY bought and held, with
 * the test windows that took no trade shaded, and its drawdown — under a caption computed from
 * the result, then photographed in headless Chromium (Debian's `chromium`, driven by
 * playwright-core).
 *
 * Usage: `deno task docs:picture [--out FILE]` (generates `data/sample/` on first use).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import {
  buildChainStore,
  drawdownChart,
  ensureSampleData,
  equityChart,
  escapeHtml,
  formatPct,
  loadConfig,
  loadMarketData,
  noTradeShade,
  optimizeWalkForward,
  tearSheet,
  walkForwardFrames,
  walkForwardRun,
} from "../lib/mod.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const CONFIG = "config/default.toml";
const CHROMIUM = "/usr/bin/chromium";
/** Page width in CSS pixels, and pixels per CSS pixel in the PNG. */
const WIDTH = 960;
const SCALE = 1.5;

const { values } = parseArgs({
  args: Deno.args,
  options: { out: { type: "string", default: join(ROOT, "docs", "walk_forward.png") } },
});

const sample = join(ROOT, "data", "sample");
ensureSampleData(sample);
const store = buildChainStore(loadMarketData(sample, { cache: true }));
const config = loadConfig(join(ROOT, CONFIG));
const wf = await optimizeWalkForward(store, config, {});
const run = walkForwardRun(wf, config);
const sheet = tearSheet(run, { store });
const shade = noTradeShade(walkForwardFrames(wf).periods, { from: run.tradableFrom });
const m = run.metrics;
const sharpe = m.sharpe === null ? "n/a" : m.sharpe.toFixed(2);
const caption = `${wf.periods.length} periods × ${wf.combinations} combinations; out of sample ` +
  `${m.first_date} to ${m.last_date}: ${m.trade_count} trades, Sharpe ${sharpe}, return ` +
  `${formatPct(m.total_return)}, max drawdown ${formatPct(m.max_drawdown)}; verdict ` +
  `${wf.verdict.verdict}.`;
const bench = { benchmark: sheet.benchmark, benchmarkName: sheet.benchmarkName };
const figures = [
  equityChart(sheet.returns, {
    ...bench,
    shade,
    shadeLabel: "test windows without a trade",
    title: "Stitched out-of-sample equity",
  }),
  drawdownChart(sheet.returns),
];
const page = `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: white; font: 14px system-ui, sans-serif; color: #212529; }
main { width: ${WIDTH - 48}px; padding: 20px 24px; }
h1 { font-size: 18px; margin: 0 0 4px; }
p { margin: 0 0 12px; color: #495057; }
figure { margin: 0 0 8px; }
</style></head><body><main>
<h1>Walk-forward of ${CONFIG} on the sample market</h1>
<p>${escapeHtml(caption)}</p>
${figures.map((f) => f.html).join("\n")}
</main></body></html>`;

const dir = mkdtempSync(join(tmpdir(), "mahler-picture-"));
try {
  const file = join(dir, "picture.html");
  writeFileSync(file, page);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const tab = await browser.newPage({
      viewport: { width: WIDTH, height: 600 },
      deviceScaleFactor: SCALE,
    });
    await tab.goto(`file://${file}`);
    await tab.locator("main").screenshot({ path: values.out });
  } finally {
    await browser.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${caption}\nWrote ${values.out}`);
