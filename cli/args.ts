/**
 * Command-line plumbing shared by every command: the two kinds of CLI error, strict flag
 * parsing, and checks of the common flags.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { checkOutDir, isoToDay } from "../lib/core.ts";

/** A usage error: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

/** A missing or failing external tool: printed as is, exit code 1. */
export class ToolError extends Error {}

/** Flag kinds of {@link parseFlags}. */
export type FlagSpec = Record<string, { type: "string" | "boolean"; multiple?: boolean }>;

/**
 * Parses flags strictly: unknown flags and positionals are usage errors.
 *
 * @param args the command's arguments (after the command name)
 * @param options the flags it takes
 * @returns the flags' values
 * @throws UsageError naming the offending flag
 */
export function parseFlags(
  args: string[],
  options: FlagSpec,
): Record<string, string | boolean | string[] | undefined> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | string[] | undefined
    >;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/**
 * A required flag's value.
 *
 * @throws UsageError "COMMAND needs --NAME" when it is absent or empty
 */
export function requiredFlag(command: string, name: string, value: unknown): string {
  if (value === undefined || value === "") throw new UsageError(`${command} needs --${name}`);
  return String(value);
}

/**
 * An optional YYYY-MM-DD flag.
 *
 * @throws UsageError when it is not a valid date
 */
export function dateFlag(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (Number.isNaN(isoToDay(text))) {
    throw new UsageError(`--${name} must be a date YYYY-MM-DD, got ${JSON.stringify(text)}`);
  }
  return text;
}

/**
 * A positive integer flag, or its default when absent.
 *
 * @throws UsageError when it is not a positive integer
 */
export function positiveIntFlag(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`--${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * The output-folder flags every writing command takes: `--out DIR` (or `--output DIR`), and
 * `--force` to replace an existing non-empty folder whole.
 */
export const OUT_FLAGS = {
  out: { type: "string" },
  output: { type: "string" },
  force: { type: "boolean" },
} as const;

/**
 * A results folder named by the command and the current UTC time, e.g.
 * results/run-20241231-235959.
 *
 * @param command the command's name
 */
export function timestampedOut(command: string): string {
  const iso = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `results/${command}-${iso}`;
}

/**
 * The output folder of a command: `--out` (or its alias `--output`), else
 * results/<command>-<timestamp>.
 *
 * @param command the command's name
 * @param values the parsed flags (with {@link OUT_FLAGS})
 * @throws UsageError when both spellings are given, or one is empty
 */
export function outDir(command: string, values: Record<string, unknown>): string {
  const { out, output } = values;
  if (out !== undefined && output !== undefined) {
    throw new UsageError("Give the output folder once: --out and --output are the same flag");
  }
  const given = out ?? output;
  if (given === "") throw new UsageError(`${command} --out needs a folder`);
  return given === undefined ? timestampedOut(command) : String(given);
}

/** An output folder and whether `--force` lets it replace an existing one. */
export interface OutputTarget {
  /** The folder. */
  out: string;
  /** Whether to replace it whole when it exists and is not empty. */
  force: boolean;
}

/**
 * The output folder of a command and whether it may replace an existing one, checked before any
 * work: refused when it exists and is not empty (without `--force`), or when it cannot be
 * created or written.
 *
 * @param command the command's name
 * @param values the parsed flags (with {@link OUT_FLAGS})
 * @returns the folder and the `--force` flag
 * @throws UsageError for a bad flag; OutputError naming the path for an unusable folder
 */
export function outputOf(command: string, values: Record<string, unknown>): OutputTarget {
  const out = outDir(command, values);
  const force = Boolean(values.force);
  checkOutDir(out, { replace: force });
  return { out, force };
}

/**
 * A file-system error (Node's `code` or Deno's error classes) as one line naming the path, or
 * null for any other error.
 *
 * @param err the error thrown
 * @returns e.g. "/data/x.csv: permission denied"
 */
export function fileSystemMessage(err: unknown): string | null {
  const e = err as { code?: unknown; path?: unknown; message?: unknown; name?: unknown };
  const reasons: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOSPC: "no space left on the device",
    ENOTDIR: "a path component is a file, not a folder",
    EISDIR: "is a folder, not a file",
    EEXIST: "already exists",
    ENOENT: "no such file or folder",
    ENOTEMPTY: "folder not empty",
    EMFILE: "too many open files",
  };
  const deno: Record<string, string> = {
    NotFound: "no such file or folder",
    PermissionDenied: "permission denied",
    AlreadyExists: "already exists",
    NotADirectory: "a path component is a file, not a folder",
    IsADirectory: "is a folder, not a file",
  };
  const code = typeof e?.code === "string" ? e.code : null;
  const reason = (code && reasons[code]) ?? (typeof e?.name === "string" ? deno[e.name] : null);
  if (!reason) return null;
  const message = typeof e.message === "string" ? e.message : "";
  const path = typeof e.path === "string" ? e.path : message.match(/'([^']+)'/)?.[1] ?? null;
  return path ? `${path}: ${reason}` : `${message.split("\n")[0]}`;
}

/** A number with two decimals, or "n/a" for null. */
export function fixed2(x: number | null): string {
  return x === null ? "n/a" : x.toFixed(2);
}

/** A fraction as a percentage with one decimal, or "n/a" for null. */
export function percent(x: number | null): string {
  return x === null ? "n/a" : `${(100 * x).toFixed(1)}%`;
}
