/**
 * Why a grid traded nothing: the entry filter that stopped every candidate of each combination
 * over the whole data, grouped. A walk-forward whose combinations never trade is a legitimate
 * result (the spec's example values on the synthetic sample), and it must say so plainly.
 *
 * @module
 */
import type { StrategyConfig } from "../strategy/config.ts";
import { blockingFilter, type EntryFunnel } from "../strategy/funnel.ts";
import { paramsFromConfig } from "../strategy/params.ts";
import { applyCombination, type WalkForwardSettings } from "./settings.ts";

/** Combinations stopped by the same entry filter. */
export interface GridBlock {
  /** The filter's configuration keys, e.g. "min_credit_pct". */
  filter: string;
  /** Combinations it stopped. */
  combinations: number;
  /** The first of them. */
  example: number;
  /** The filter's explanation for that combination (see blockingFilter). */
  reason: string;
  /** That combination's entry funnel over the whole data. */
  funnel: EntryFunnel;
}

/**
 * The filters that stopped the combinations that never traded, most frequent first (ties: the
 * one met first in grid order).
 *
 * @param runs each combination's trade count and entry funnel over the whole data (a
 *   walk-forward's `fullRuns`)
 * @param config the base configuration
 * @param settings the walk-forward settings (the grid)
 * @returns one entry per filter; empty when every combination traded
 *
 * @example Two combinations, both stopped by the credit filter
 * ```ts
 * import assert from "node:assert/strict";
 * import { funnelOf, loadConfig, validateConfig, walkForwardSettings } from "../mod.ts";
 * import { gridBlocks } from "./no_trade.ts";
 * const base = loadConfig("config/spec_example.toml");
 * const config = validateConfig({ ...base, walk_forward: { grid: { profit_target_pct: [0.5, 0.6] } } });
 * const funnel = funnelOf([100, 60, 120, 300, 250, 900, 0, 0, 0]);
 * const blocks = gridBlocks({ trades: [0, 0], funnels: [funnel, funnel] }, config,
 *   walkForwardSettings(config));
 * assert.equal(blocks.length, 1);
 * assert.equal(blocks[0].filter, "min_credit_pct");
 * assert.equal(blocks[0].combinations, 2);
 * assert.match(blocks[0].reason, /25% of its width \(0 of 900/);
 * ```
 */
export function gridBlocks(
  runs: { trades: ArrayLike<number>; funnels: EntryFunnel[] },
  config: StrategyConfig,
  settings: WalkForwardSettings,
): GridBlock[] {
  const byFilter = new Map<string, GridBlock>();
  for (let c = 0; c < runs.funnels.length; c++) {
    if (runs.trades[c] > 0) continue;
    const funnel = runs.funnels[c];
    const reason = blockingFilter(funnel, paramsFromConfig(applyCombination(config, settings, c)));
    if (reason === null) continue;
    const filter = reason.split(":")[0];
    const block = byFilter.get(filter);
    if (block) block.combinations++;
    else byFilter.set(filter, { filter, combinations: 1, example: c, reason, funnel });
  }
  return [...byFilter.values()].sort((a, b) =>
    b.combinations - a.combinations || a.example - b.example
  );
}
