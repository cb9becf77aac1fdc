/**
 * The options every command of lib/app shares: the configuration and data it runs on, the
 * window, the overrides, the output folder, and the progress callbacks.
 *
 * @module
 */
import type { Overrides } from "./config.ts";
import type { ConfigData, ConfigDataOptions } from "./load.ts";

/** Where a command writes its run folder. */
export interface OutputFolder {
  /** The folder. */
  dir: string;
  /** Replace it whole when it exists and is not empty (default false: refuse it). */
  replace?: boolean;
}

/** What a command that runs a configuration on data takes. */
export interface ConfigRunOptions {
  /** The configuration file (a params.toml for validate). */
  configPath: string;
  /** Chain file, folder or data folder. */
  dataPath: string;
  /** First day, YYYY-MM-DD (default: the data's first; the history before it is loaded). */
  from?: string;
  /** Last day, YYYY-MM-DD (default: the data's last). */
  to?: string;
  /** Underlyings and settings that change the configuration. */
  overrides?: Overrides;
  /** Write the folder here (default: return the files only). */
  out?: OutputFolder;
  /** Called as chain files are read. */
  onLoadProgress?: ConfigDataOptions["onProgress"];
  /** Called once the data is loaded. */
  onLoaded?: (data: ConfigData) => void;
}

/** What a command that runs a walk-forward's simulations on Web Workers takes. */
export interface WorkerRunOptions extends ConfigRunOptions {
  /** Worker count (default: the number of cores). */
  workers?: number;
  /** Called as simulations finish: (done, total); the total shrinks once training has run. */
  onProgress?: (done: number, total: number) => void;
  /** Worker script (default the walk-forward worker; the fault tests inject dying ones). */
  workerUrl?: URL;
}
