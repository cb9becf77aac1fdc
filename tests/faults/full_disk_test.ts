/**
 * A run folder on a disk that fills up while Parquet is written fails in one line naming the
 * folder, the file and the reason, and leaves nothing: before, polars writing the file itself said
 * "parquet: File out of specification: Invalid thrift: transport error" (found by
 * tests/faults/disk.ts). Needs root to mount a 1 MB tmpfs; ignored elsewhere.
 */
import assert from "node:assert/strict";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, writeSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { OutputError, writeRunFiles } from "../../lib/mod.ts";

const mount = join("/mnt", `mahler-full-disk-test-${Deno.pid}`);
let mounted = false;
if (Deno.build.os === "linux" && Deno.uid?.() === 0) {
  mkdirSync(mount, { recursive: true });
  const res = new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mount],
    stderr: "null",
  }).outputSync();
  mounted = res.success;
  if (!mounted) Deno.removeSync(mount);
}

Deno.test({
  name: "Parquet on a full disk: one line naming the folder, the file and the reason; no folder",
  ignore: !mounted,
  fn() {
    try {
      // A trade log's shape: few rows, many columns (a large footer).
      const n = 60;
      const columns: Record<string, (string | number)[]> = {};
      for (let c = 0; c < 30; c++) {
        columns[`column_${c}`] = Array.from(
          { length: n },
          (_, i) => c % 3 === 0 ? `v${(i * c) % 7}` : Math.sin(i * (c + 1)) * 100,
        );
      }
      const frame = pl.DataFrame(columns);
      const size = frame.writeParquet({ compression: "zstd" }).length;
      const out = join(mount, "run");
      // Every amount of room from none to more than the file (polars writing to the file itself
      // failed on its footer for some of them).
      let failures = 0;
      for (let free = 0; free < size + 8192; free += 512) {
        const fd = openSync(join(mount, "filler"), "w");
        const page = new Uint8Array(4096);
        try {
          for (;;) writeSync(fd, page);
        } catch {
          // Full.
        }
        try {
          for (;;) writeSync(fd, page, 0, 1);
        } catch {
          // Full to the byte.
        }
        closeSync(fd);
        const filled = Deno.statSync(join(mount, "filler")).size;
        Deno.truncateSync(join(mount, "filler"), Math.max(0, filled - free));
        try {
          writeRunFiles(out, [{ name: "trades.parquet", parquet: frame }]);
          // It fit: the folder is whole.
          assert.equal(Deno.statSync(join(out, "trades.parquet")).size, size);
          Deno.removeSync(out, { recursive: true });
          continue;
        } catch (err) {
          assert.ok(err instanceof OutputError, String(err));
          assert.equal(
            err.message,
            `${out}: cannot write trades.parquet (no space left on the device)`,
            `${free} bytes free`,
          );
          failures++;
        }
        assert.equal(existsSync(out), false);
        assert.deepEqual(readdirSync(mount), ["filler"]);
      }
      assert.ok(failures > 0, "the disk never filled");
    } finally {
      new Deno.Command("umount", { args: [mount] }).outputSync();
      Deno.removeSync(mount, { recursive: true });
    }
  },
});
