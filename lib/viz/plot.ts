/**
 * Observable Plot figures rendered to static SVG on the server side, with linkedom as the
 * document, sized for a report's cell, with titles in the page's body font; and a time axis
 * that labels every year, the first included.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { type Displayable, html } from "./display.ts";

/** The Observable Plot module, for marks and scales in notebooks. */
export { Plot };

/** Defaults of {@link plotSvg}. */
export const PLOT_DEFAULTS = {
  /** Width in pixels: a report's output cell (the SVG shrinks with a narrower page). */
  width: 1000,
  /** Left margin in pixels: room for tick labels such as "100,000". */
  marginLeft: 64,
} as const;

/** Inline styles of a figure's title, subtitle and caption (the page's CSS styles h2 large). */
const TEXT_STYLES: Record<string, string> = {
  h2: "font:600 15px/1.3 system-ui,sans-serif;margin:12px 0 4px 0;color:#222",
  h3: "font:400 13px/1.3 system-ui,sans-serif;margin:0 0 6px 0;color:#444",
  figcaption: "font:400 12px/1.4 system-ui,sans-serif;margin:4px 0 0 0;color:#555",
};

/**
 * Renders a Plot specification to SVG (or a figure with legend, title and caption).
 *
 * @param options Plot.plot options (marks, scales, ...): width in pixels, default 1000;
 *   marginLeft in pixels, default 64 (room for tick labels such as "100,000")
 * @returns a displayable whose `html` is the SVG or figure markup
 *
 * @example A titled figure: its title is styled inline
 * ```ts
 * import assert from "node:assert/strict";
 * import { Plot, plotSvg } from "./plot.ts";
 * const fig = plotSvg({ title: "Two points", marks: [Plot.dot([[0, 0], [1, 1]])] });
 * assert.ok(fig.html.startsWith("<figure"));
 * assert.ok(fig.html.includes('<h2 style="font:600 15px'));
 * assert.ok(fig.html.includes('viewBox="0 0 1000 '));
 * ```
 */
export function plotSvg(options: Plot.PlotOptions): Displayable {
  const { document } = parseHTML("<!doctype html><html><body></body></html>") as unknown as {
    document: NonNullable<Plot.PlotOptions["document"]>;
  };
  const element = Plot.plot(
    { ...PLOT_DEFAULTS, ...options, document } as Plot.PlotOptions,
  ) as unknown as {
    outerHTML: string;
    querySelectorAll(selector: string): Iterable<{ setAttribute(k: string, v: string): void }>;
  };
  for (const [tag, style] of Object.entries(TEXT_STYLES)) {
    for (const el of element.querySelectorAll(`:scope > ${tag}`)) el.setAttribute("style", style);
  }
  return html(roundPaths(element.outerHTML));
}

/**
 * SVG markup with the coordinates of its path data rounded to a tenth of a pixel (invisible,
 * and it makes a daily line over six years about 40% smaller).
 */
function roundPaths(markup: string): string {
  return markup.replace(
    /\sd="([^"]*)"/g,
    (_, d: string) =>
      ` d="${d.replace(/-?\d+\.\d{2,}/g, (x) => String(Math.round(Number(x) * 10) / 10))}"`,
  );
}

/** A date of an axis extent: a Date, a day number or an ISO string. */
export type AxisDate = Date | number | string;

/** A Date (UTC midnight) from a Date, day number or ISO string. */
function toDate(d: AxisDate): Date {
  if (d instanceof Date) return d;
  if (typeof d === "number") return new Date(d * 86400000);
  return new Date(`${d.slice(0, 10)}T00:00:00Z`);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A time axis over [from, to] whose every year is labelled, the first one too: when the span
 * starts within 45 days after a 1 January the domain starts on that day (so the year's tick is
 * drawn); otherwise the first tick is the span's first day, labelled with its month ("Aug 2019"),
 * unless the next 1 January is less than 75 days away (its tick then names the span's first
 * full year). Spans under two years get quarterly ticks.
 *
 * @param from first date of the data
 * @param to last date of the data
 * @param options axis label (default none)
 * @returns Plot scale options for `x`
 *
 * @example A span starting on 2 January gets the year's tick
 * ```ts
 * import assert from "node:assert/strict";
 * import { timeAxis } from "./plot.ts";
 * const x = timeAxis("2020-01-02", "2024-12-31");
 * assert.equal((x.domain as Date[])[0].toISOString().slice(0, 10), "2020-01-01");
 * assert.deepEqual((x.ticks as Date[]).map((d) => d.getUTCFullYear()), [2020, 2021, 2022, 2023, 2024]);
 * const late = timeAxis("2019-08-01", "2021-06-30");
 * const format = late.tickFormat as (d: Date) => string;
 * assert.deepEqual((late.ticks as Date[]).map(format), ["Aug 2019", "2020", "2021"]);
 * const eve = timeAxis("2019-12-31", "2024-12-31");
 * assert.deepEqual((eve.ticks as Date[]).map(format), ["2020", "2021", "2022", "2023", "2024"]);
 * ```
 */
export function timeAxis(
  from: AxisDate,
  to: AxisDate,
  options: { label?: string | null } = {},
): Plot.ScaleOptions {
  const first = toDate(from);
  const last = toDate(to);
  const yearStart = new Date(Date.UTC(first.getUTCFullYear(), 0, 1));
  const start = first.getTime() - yearStart.getTime() <= 45 * 86400000 ? yearStart : first;
  const years = last.getUTCFullYear() - start.getUTCFullYear();
  const step = years >= 2 ? 12 : 3;
  const ticks: Date[] = [];
  const nextYear = Date.UTC(start.getUTCFullYear() + 1, 0, 1);
  // A span starting mid-year gets a first tick of its own, unless the next year's tick is so
  // close that their labels would collide (a span starting on 31 December).
  if (
    (start.getUTCMonth() !== 0 || start.getUTCDate() !== 1) &&
    nextYear - start.getTime() > 75 * 86400000
  ) {
    ticks.push(start);
  }
  for (let y = start.getUTCFullYear(); y <= last.getUTCFullYear(); y++) {
    for (let m = 0; m < 12; m += step) {
      const t = new Date(Date.UTC(y, m, 1));
      if (t >= start && t <= last && t.getTime() !== ticks[0]?.getTime()) ticks.push(t);
    }
  }
  return {
    type: "utc",
    domain: [start, last],
    ticks,
    tickFormat: (d: Date) =>
      d.getUTCMonth() === 0
        ? String(d.getUTCFullYear())
        : `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`,
    label: options.label ?? null,
  };
}
