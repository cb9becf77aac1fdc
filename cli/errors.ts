/**
 * The one line the command line prints for an error it expects (bad data, configuration, an
 * unusable output folder, a file-system error, a missing tool, a failed walk-forward task), and
 * nothing for any other: an unexpected error keeps its stack trace, since it is a defect.
 *
 * @module
 */
import {
  ConfigError,
  DataError,
  OutputError,
  ShardError,
  WalkForwardTaskError,
} from "../lib/core.ts";
import { fileSystemMessage, ToolError } from "./args.ts";

/**
 * The message of an expected error, one line, or null for an unexpected one.
 *
 * @param err what was thrown
 * @returns the line to print after "Error: ", or null
 *
 * @example A file-system error names its path; a TypeError is unexpected
 * ```ts
 * import assert from "node:assert/strict";
 * import { WalkForwardTaskError } from "../lib/core.ts";
 * import { errorReport } from "./errors.ts";
 * const err = Object.assign(new Error("ENOSPC: no space left"), { code: "ENOSPC", path: "/x/run" });
 * assert.equal(errorReport(err), "/x/run: no space left on the device");
 * assert.equal(errorReport(new TypeError("x is undefined")), null);
 * const task = "Walk-forward train task 6 (period 1, combination 2): its worker died twice (exit)";
 * assert.equal(errorReport(new WalkForwardTaskError(task)), task);
 * ```
 */
export function errorReport(err: unknown): string | null {
  if (
    err instanceof DataError || err instanceof ConfigError || err instanceof RangeError ||
    err instanceof ToolError || err instanceof OutputError || err instanceof ShardError ||
    err instanceof WalkForwardTaskError
  ) {
    return err.message;
  }
  return fileSystemMessage(err);
}
