/**
 * Makes a page rendered by nbconvert self-contained and light: it must open the same anywhere,
 * from a file, without the machine that rendered it, and stay well under 5 MB with the Plotly
 * library in it.
 *
 * @module
 */
import { embedPlotly, plotlySource } from "./plotly.ts";

/**
 * Script tags that load a file by `src`. nbconvert's templates link require.js and MathJax from
 * the rendering machine's disk (Debian: file:///usr/share/javascript/...); the reports use
 * neither, and require.js would even turn the embedded Plotly bundle into an AMD module that
 * never sets `window.Plotly`.
 */
const EXTERNAL_SCRIPT = /<script\b[^>]*\bsrc\s*=\s*["'][^"']*["'][^>]*>\s*<\/script>/gi;

/** Index of the brace closing the block opened at `open`, skipping strings; -1 if none. */
function closingBrace(css: string, open: number): number {
  let depth = 0;
  for (let i = open; i < css.length; i++) {
    const ch = css[i];
    if (ch === '"' || ch === "'") {
      const end = css.indexOf(ch, i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return i;
  }
  return -1;
}

/** Splits a selector list at its top-level commas. */
function splitSelectors(prelude: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < prelude.length; i++) {
    const ch = prelude[i];
    if (ch === "(" || ch === "[") depth++;
    else if (ch === ")" || ch === "]") depth--;
    else if (ch === "," && depth === 0) {
      out.push(prelude.slice(start, i));
      start = i + 1;
    }
  }
  out.push(prelude.slice(start));
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * The class names a selector requires: those outside parentheses (`:not(.x)`, `:is(.a, .b)` and
 * the like require nothing for sure) and outside attribute brackets.
 */
function requiredClasses(selector: string): string[] {
  let plain = selector;
  for (let previous = ""; previous !== plain;) {
    previous = plain;
    plain = plain.replace(/\([^()]*\)/g, "").replace(/\[[^\[\]]*\]/g, "");
  }
  return [...plain.matchAll(/\.(-?[_a-zA-Z][\w-]*)/g)].map((m) => m[1]);
}

/**
 * A stylesheet without the rules that cannot match a page: a rule whose every selector needs a
 * class the page does not hold is dropped, and so is a @media or @supports block left empty.
 * Other at-rules (@font-face, @keyframes, ...) are kept whole.
 *
 * @param css the stylesheet
 * @param classes every class name present in the page
 * @returns the pruned stylesheet (comments removed)
 *
 * @example Only the rules of classes in the page remain
 * ```ts
 * import assert from "node:assert/strict";
 * import { pruneCss } from "./report_page.ts";
 * const css = ":root{--a:1} .used p{x:1} .unused{x:2} .unused,.used{x:3} " +
 *   "@media print{.unused{x:4}} a:not(.unused){x:5} /* note *\/";
 * assert.equal(pruneCss(css, new Set(["used"])), ":root{--a:1}\n.used p{x:1}\n.used{x:3}\na:not(.unused){x:5}");
 * ```
 */
export function pruneCss(css: string, classes: ReadonlySet<string>): string {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, "");
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{", i);
    const semicolon = text.indexOf(";", i);
    if (open < 0) break;
    if (semicolon >= 0 && semicolon < open && text.slice(i, semicolon).trim().startsWith("@")) {
      out.push(text.slice(i, semicolon + 1).trim()); // @import, @charset
      i = semicolon + 1;
      continue;
    }
    const close = closingBrace(text, open);
    if (close < 0) {
      out.push(text.slice(i).trim());
      break;
    }
    const prelude = text.slice(i, open).trim();
    const body = text.slice(open + 1, close);
    i = close + 1;
    if (/^@(media|supports|layer|container)\b/.test(prelude)) {
      const inner = pruneCss(body, classes);
      if (inner) out.push(`${prelude}{${inner}}`);
    } else if (prelude.startsWith("@")) {
      out.push(`${prelude}{${body}}`);
    } else {
      const kept = splitSelectors(prelude).filter((s) =>
        requiredClasses(s).every((c) => classes.has(c))
      );
      if (kept.length) out.push(`${kept.join(",")}{${body.trim()}}`);
    }
  }
  return out.join("\n");
}

/** Splits a declaration block at its top-level semicolons (not inside parentheses or strings). */
function splitDeclarations(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '"' || ch === "'") {
      const end = body.indexOf(ch, i + 1);
      i = end < 0 ? body.length : end;
    } else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === ";" && depth === 0) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  out.push(body.slice(start));
  return out.map((d) => d.trim()).filter((d) => d.length > 0);
}

/**
 * A stylesheet without the custom properties (`--name: ...`) that nothing reads: no `var(--name`
 * in the stylesheet or in `context` (the page, for inline styles). Repeated until no more go, as
 * a property may be read only by another unused one.
 *
 * @param css a stylesheet (as {@link pruneCss} returns: one rule or block per line)
 * @param context other text that may read the properties
 * @returns the stylesheet
 *
 * @example The icon nobody reads goes; the colour read by a rule stays
 * ```ts
 * import assert from "node:assert/strict";
 * import { dropUnusedProperties } from "./report_page.ts";
 * const css = ":root{--icon: url(data:image/svg+xml;base64,AAA); --ink: #222}\np{color: var(--ink)}";
 * assert.equal(dropUnusedProperties(css, ""), ":root{--ink: #222}\np{color: var(--ink)}");
 * ```
 */
export function dropUnusedProperties(css: string, context: string): string {
  let text = css;
  for (let pass = 0; pass < 4; pass++) {
    const read = new Set(
      [...(text + context).matchAll(/var\(\s*(--[\w-]+)/g)].map((m) => m[1]),
    );
    const next = text.replace(/\{([^{}]*)\}/g, (whole, body: string) => {
      if (!body.includes("--")) return whole;
      const kept = splitDeclarations(body).filter((d) => {
        const name = /^(--[\w-]+)\s*:/.exec(d)?.[1];
        return name === undefined || read.has(name);
      });
      return `{${kept.join(";")}}`;
    }).replace(/^[^{}\n]+\{\}$/gm, "").replace(/\n{2,}/g, "\n");
    if (next === text) break;
    text = next;
  }
  return text;
}

/** Every class name in a page's class attributes. */
function pageClasses(page: string): Set<string> {
  const classes = new Set<string>();
  for (const m of page.matchAll(/\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    for (const c of (m[1] ?? m[2]).split(/\s+/)) if (c) classes.add(c);
  }
  return classes;
}

/**
 * The page's head stylesheets (nbconvert's template: JupyterLab's whole theme, about 0.5 MB)
 * pruned to the rules its markup can use and the custom properties they read; the outputs' own
 * styles in the body are untouched.
 */
function pruneHeadStyles(page: string): string {
  const headEnd = page.indexOf("</head>");
  if (headEnd < 0) return page;
  const classes = pageClasses(page);
  const head = page.slice(0, headEnd).replace(
    /(<style\b[^>]*>)([\s\S]*?)(<\/style>)/gi,
    (_, open: string, css: string, close: string) => `${open}\n${pruneCss(css, classes)}\n${close}`,
  );
  const body = page.slice(headEnd);
  // Custom properties are read across style blocks: prune with the whole head as context.
  const styles = [...head.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1]);
  const pruned = head.replace(
    /(<style\b[^>]*>)([\s\S]*?)(<\/style>)/gi,
    (_, open: string, css: string, close: string) =>
      `${open}${
        dropUnusedProperties(css, styles.filter((s) => s !== css).join("\n") + body)
      }${close}`,
  );
  return pruned + body;
}

/**
 * The page without externally loaded scripts, with its head stylesheets pruned to the rules
 * its markup can use, and with the Plotly library embedded once when it holds Plotly figures.
 *
 * @param page HTML from nbconvert
 * @param source the plotly.js source (default: the minified build from node_modules)
 * @returns the self-contained page
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selfContainedPage } from "./report_page.ts";
 * const page = '<html><head><script src="file:///usr/share/javascript/requirejs/require.min.js">' +
 *   '</script><style>.jp-Toolbar{x:1} .mahler-plotly{y:2}</style></head>' +
 *   '<body><div class="mahler-plotly"></div></body></html>';
 * const out = selfContainedPage(page, () => "var Plotly = {};");
 * assert.ok(!out.includes("require.min.js"));
 * assert.ok(!out.includes("jp-Toolbar") && out.includes(".mahler-plotly{y:2}"));
 * assert.equal(out.match(/id="mahler-plotly-library"/g)?.length, 1);
 * ```
 */
export function selfContainedPage(page: string, source: () => string = plotlySource): string {
  return embedPlotly(pruneHeadStyles(page.replace(EXTERNAL_SCRIPT, "")), source);
}
