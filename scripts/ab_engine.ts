/**
 * The engine of two versions of Mahler timed in one process, alternately, on the same data and
 * configuration: on a shared machine whose load moves by the minute, separate `deno bench` runs
 * minutes apart compare the load as much as the code; alternating call by call gives both
 * versions the same load. Prints the best and the median of each, and the ratio.
 *
 * Usage:
 *   deno run -A scripts/ab_engine.ts OTHER_CHECKOUT [--config FILE] [--data DIR] [--rounds N]
 *     [--set strategy.strategy_type=iron_condor]...
 *
 * OTHER_CHECKOUT is a folder holding another version (e.g. a `git worktree` of the commit
 * before a change, with node_modules linked); this checkout is "this".
 *
 * @module
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    config: { type: "string", default: "config/sample.toml" },
    data: { type: "string", default: "data/sample" },
    rounds: { type: "string", default: "30" },
    set: { type: "string", multiple: true },
  },
});
if (!positionals[0]) {
  console.error("Usage: ab_engine.ts OTHER_CHECKOUT [--config FILE] [--data DIR] [--rounds N]");
  Deno.exit(2);
}

// deno-lint-ignore no-explicit-any
type Lib = any;

/** The engine of a checkout, ready to run: its store, parameters and IV table. */
async function engineOf(root: string) {
  const lib: Lib = await import(`file://${resolve(root)}/lib/mod.ts`);
  const store = lib.buildChainStore(lib.loadMarketData(resolve(values.data!)));
  let config = lib.loadConfig(resolve(values.config!));
  if (values.set?.length) config = lib.applyOverrides(config, values.set.map(lib.parseOverride));
  const p = lib.paramsFromConfig(config);
  const ivPct = lib.ivPercentileTable(store, p.ivHistoryDays);
  return () => lib.simulate(store, p, { ivPct }).trades.length as number;
}

const engines = [
  { name: "other", run: await engineOf(positionals[0]) },
  { name: "this", run: await engineOf(".") },
];
const times = engines.map(() => [] as number[]);
const trades = engines.map((e) => e.run()); // warm-up, and the trade counts to compare
for (let round = 0; round < Number(values.rounds); round++) {
  engines.forEach((e, i) => {
    const t0 = performance.now();
    e.run();
    times[i].push(performance.now() - t0);
  });
}
const stats = times.map((t) => {
  const s = [...t].sort((a, b) => a - b);
  return { best: s[0], median: s[Math.floor(s.length / 2)] };
});
engines.forEach((e, i) =>
  console.log(
    `${e.name.padEnd(6)} best ${stats[i].best.toFixed(1)} ms, median ${
      stats[i].median.toFixed(1)
    } ms (${trades[i]} trades)`,
  )
);
console.log(
  `this / other: best ${(stats[1].best / stats[0].best).toFixed(3)}, median ${
    (stats[1].median / stats[0].median).toFixed(3)
  }`,
);
