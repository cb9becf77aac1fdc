/**
 * A file-system error's reason in words, the same whichever layer raised it: Node's `code`
 * (`ENOSPC`), Deno's or Rust's message (`No space left on device (os error 28)`, as polars and
 * `Deno.*` calls say it) or the code within the message.
 *
 * @module
 */

/** Known errors: code, errno on Linux, words. */
const REASONS: [string, number, string][] = [
  ["EACCES", 13, "permission denied"],
  ["EPERM", 1, "operation not permitted"],
  ["EROFS", 30, "read-only file system"],
  ["ENOSPC", 28, "no space left on the device"],
  ["EDQUOT", 122, "disk quota exceeded"],
  ["ENOTDIR", 20, "a path component is a file"],
  ["EEXIST", 17, "already exists"],
  ["ENOENT", 2, "no such file or folder"],
];

/**
 * The reason of a file-system error in words, or the message's first line for any other.
 *
 * @param err what was thrown
 * @returns e.g. "no space left on the device"
 *
 * @example The same reason from Node's code and from an OS error's message
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileSystemReason } from "./fs_reason.ts";
 * const node = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
 * assert.equal(fileSystemReason(node), "no space left on the device");
 * assert.equal(fileSystemReason(new Error("No space left on device (os error 28)")), "no space left on the device");
 * assert.equal(fileSystemReason(new Error("parse failed\nat ...")), "parse failed");
 * ```
 */
export function fileSystemReason(err: unknown): string {
  const code = (err as { code?: string })?.code;
  const message = String((err as Error)?.message ?? err);
  const os = /\(os error (\d+)\)/.exec(message);
  const known = REASONS.find(([c, errno]) =>
    c === code || (os !== null && Number(os[1]) === errno) || new RegExp(`\\b${c}\\b`).test(message)
  );
  return known ? known[2] : message.split("\n")[0];
}
