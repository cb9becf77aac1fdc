/**
 * One colour and symbol map for the whole report, so that an exit reason, an underlying, a VIX
 * regime or a walk-forward window looks the same in every figure of every notebook.
 *
 * @module
 */
import { EXIT_REASONS } from "../output/trade_analytics.ts";
import { VIX_REGIMES } from "../output/metrics.ts";

/** Exit reasons in the order exits are checked, with their colours. */
export const EXIT_REASON_COLORS: Readonly<Record<string, string>> = {
  profit_target: "#2f9e44",
  stop_loss: "#d6336c",
  trailing_stop: "#66a80f",
  time_exit: "#f08c00",
  max_days_held: "#ae3ec9",
  expiration: "#1c7ed6",
  assignment: "#7048e8",
  end_of_period: "#868e96",
};

/**
 * An Observable Plot colour scale for exit reasons: every reason in the order exits are
 * checked (so stacks and legends keep one order), with its colour.
 *
 * @param present the reasons to show (default all), kept in the checking order
 * @returns Plot colour scale options
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exitReasonScale } from "./palette.ts";
 * const s = exitReasonScale(["stop_loss", "profit_target"]);
 * assert.deepEqual(s.domain, ["profit_target", "stop_loss"]);
 * assert.deepEqual(s.range, ["#2f9e44", "#d6336c"]);
 * ```
 */
export function exitReasonScale(present?: Iterable<string>): {
  domain: string[];
  range: string[];
  legend: true;
  label: string;
} {
  const shown = present ? new Set(present) : null;
  const domain = [...EXIT_REASONS, ...(shown ? [...shown] : [])].filter((r, i, all) =>
    all.indexOf(r) === i && (!shown || shown.has(r))
  );
  return {
    domain,
    range: domain.map((r) => EXIT_REASON_COLORS[r] ?? "#495057"),
    legend: true,
    label: "exit reason",
  };
}

/** Marker symbol of each underlying, the same name in Observable Plot and in Plotly. */
export const UNDERLYING_SYMBOLS: Readonly<Record<string, string>> = {
  SPY: "circle",
  QQQ: "diamond",
  IWM: "square",
};

/** Colour of each underlying. */
export const UNDERLYING_COLORS: Readonly<Record<string, string>> = {
  SPY: "#1c7ed6",
  QQQ: "#f08c00",
  IWM: "#2f9e44",
};

/** A symbol for an underlying outside the map (a stable choice from its name). */
export function underlyingSymbol(ticker: string): string {
  const extra = ["star", "cross", "hexagon"];
  return UNDERLYING_SYMBOLS[ticker] ??
    extra[[...ticker].reduce((a, c) => a + c.charCodeAt(0), 0) % extra.length];
}

/** Colour of each VIX regime, calm to crisis. */
export const REGIME_COLORS: Readonly<Record<string, string>> = Object.fromEntries(
  VIX_REGIMES.map((r, i) => [r, ["#2f9e44", "#fab005", "#f76707", "#c92a2a", "#adb5bd"][i]]),
);

/** Colour of each walk-forward window. */
export const WINDOW_COLORS: Readonly<Record<string, string>> = {
  train: "#1c7ed6",
  validate: "#f08c00",
  test: "#2f9e44",
};
