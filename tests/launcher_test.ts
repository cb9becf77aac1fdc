/**
 * The launcher `./mahler`: it runs `deno task` and `deno` itself with Deno 2.9.6 (found on the
 * path, or installed once from npm by launcher/package.json; CI exercises the install).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const MAHLER = fileURLToPath(new URL("../mahler", import.meta.url));

/** Runs the launcher with arguments, from another folder (it must not depend on the cwd). */
async function mahler(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command("sh", {
    args: [MAHLER, ...args],
    cwd: Deno.makeTempDirSync(),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: r.code, out: text(r.stdout), err: text(r.stderr) };
}

Deno.test("./mahler --deno runs Deno 2.9.6, the pinned version", async () => {
  const r = await mahler("--deno", "eval", "console.log(Deno.version.deno)");
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), "2.9.6");
  const pinned = JSON.parse(
    Deno.readTextFileSync(new URL("../launcher/package.json", import.meta.url)),
  );
  assert.equal(pinned.devDependencies.deno, "2.9.6");
});

Deno.test("./mahler TASK runs the project's task from any folder, and fails on an unknown one", async () => {
  const r = await mahler("start", "help");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out + r.err, /optimize/);
  const bad = await mahler("no-such-task");
  assert.notEqual(bad.code, 0);
});
