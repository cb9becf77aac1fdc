/**
 * The documentation holds together: README.md is a front page (at most about 150 lines), no line
 * of README.md or docs/*.md is over 120 characters, and every relative link resolves to a file
 * of the repository and, with a `#fragment`, to a heading of the Markdown file it names. (The
 * code blocks of the same files run as doc tests: `deno test --doc` picks up Markdown files.)
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const MAX_LINE = 120;
const README_MAX_LINES = 150;

/** README.md and every docs/*.md, as paths relative to the repository. */
function documentationFiles(): string[] {
  const docs = readdirSync(join(ROOT, "docs")).filter((n) => n.endsWith(".md")).sort();
  return ["README.md", ...docs.map((n) => `docs/${n}`)];
}

/** The text without fenced code blocks (their contents are code, not links), lines kept. */
function withoutCodeBlocks(text: string): string {
  return text.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, (block) => block.replace(/[^\n]/g, ""));
}

/**
 * The anchor of a heading as GitHub writes it: lower case, punctuation other than `-` and `_`
 * dropped, spaces as hyphens.
 */
export function headingAnchor(heading: string): string {
  return heading.trim().toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Every heading anchor of a Markdown text (repeated headings get -1, -2, ... as on GitHub). */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of withoutCodeBlocks(text).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = headingAnchor(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** The targets of the Markdown links and images of a text, with their line numbers. */
function linksOf(text: string): { target: string; line: number }[] {
  const lines = withoutCodeBlocks(text).replace(/`[^`\n]*`/g, "").split("\n");
  const out: { target: string; line: number }[] = [];
  // A link's text may span lines (an image's alt text does): join them, keep the first line.
  const joined = lines.join("\n");
  for (const m of joined.matchAll(/!?\[[^\[\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    out.push({ target: m[1], line: joined.slice(0, m.index).split("\n").length });
  }
  return out;
}

/** Why a relative link does not resolve, or null when it does. */
function brokenLink(file: string, target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null; // https:, mailto:: not checked here
  const [path, fragment] = target.split("#", 2);
  const resolved = path === "" ? join(ROOT, file) : join(ROOT, dirname(file), path);
  if (!resolved.startsWith(ROOT)) return `${target} leaves the repository`;
  if (!existsSync(resolved)) return `${target}: no such file (${relative(ROOT, resolved)})`;
  if (fragment === undefined) return null;
  if (!resolved.endsWith(".md") || statSync(resolved).isDirectory()) {
    return `${target}: a fragment on a file that is not Markdown`;
  }
  const anchors = anchorsOf(readFileSync(resolved, "utf8"));
  return anchors.has(fragment) ? null : `${target}: no heading #${fragment}`;
}

Deno.test("headingAnchor() writes anchors as GitHub does", () => {
  assert.equal(headingAnchor("The trade log (trades.parquet)"), "the-trade-log-tradesparquet");
  assert.equal(headingAnchor("Overrides: --ticker and --set"), "overrides---ticker-and---set");
  assert.equal(
    headingAnchor("Walk-forward efficiency and the verdict"),
    "walk-forward-efficiency-and-the-verdict",
  );
  assert.equal(headingAnchor("`equity_curve.csv`"), "equity_curvecsv");
});

Deno.test("the link check catches a missing file, a missing heading and a bad fragment", () => {
  assert.match(brokenLink("README.md", "docs/no-such-page.md")!, /no such file/);
  assert.match(brokenLink("README.md", "docs/outputs.md#no-such-heading")!, /no heading/);
  assert.match(brokenLink("docs/outputs.md", "../deno.json#tasks")!, /not Markdown/);
  assert.equal(brokenLink("docs/outputs.md", "../README.md"), null);
  assert.deepEqual(linksOf("a [x](a.md) `[y](b.md)`\n![pic\nture](c.png)"), [
    { target: "a.md", line: 1 },
    { target: "c.png", line: 2 },
  ]);
});

Deno.test("README.md is a front page: at most about 150 lines, linking every docs page", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  assert.ok(readme.split("\n").length <= README_MAX_LINES, "README.md is longer than a page");
  const linked = new Set(linksOf(readme).map((l) => l.target.split("#")[0]));
  const unlisted = documentationFiles().slice(1).filter((f) => !linked.has(f));
  assert.deepEqual(unlisted, [], "docs pages missing from the README's index");
  assert.ok(linked.has("docs/walk_forward.png"), "the README shows the walk-forward picture");
});

Deno.test("no line of README.md or docs/*.md is over 120 characters", () => {
  const long: string[] = [];
  for (const file of documentationFiles()) {
    readFileSync(join(ROOT, file), "utf8").split("\n").forEach((line, i) => {
      if ([...line].length > MAX_LINE) long.push(`${file}:${i + 1} (${[...line].length})`);
    });
  }
  assert.deepEqual(long, []);
});

Deno.test("every relative link of README.md and docs/*.md resolves, headings included", () => {
  const broken: string[] = [];
  let checked = 0;
  for (const file of documentationFiles()) {
    for (const { target, line } of linksOf(readFileSync(join(ROOT, file), "utf8"))) {
      checked++;
      const why = brokenLink(file, target);
      if (why) broken.push(`${file}:${line}: ${why}`);
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(checked > 20, `only ${checked} links found`);
});

Deno.test("the documentation speaks of Mahler itself: no design notes, no shared folders", () => {
  const found: string[] = [];
  for (const file of documentationFiles()) {
    readFileSync(join(ROOT, file), "utf8").split("\n").forEach((line, i) => {
      if (/\bDESIGN(\.md)?\b|\.\.\/shared|\/work\/|\bthe spec\b|\bspec's\b/i.test(line)) {
        found.push(`${file}:${i + 1}: ${line.trim()}`);
      }
    });
  }
  assert.deepEqual(found, []);
});
