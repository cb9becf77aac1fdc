/**
 * The writer thread of PipedRows (see _file_rows.ts): writes each queued slot of rows at its
 * place in the staging column files and checksums the files as they grow. It talks through
 * shared memory only (Atomics), so the loading thread never needs its event loop to turn.
 *
 * @module
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { ChainColumns } from "./_columns.ts";
import { COLUMN_TYPES } from "./_columns.ts";
import { BlockChecksummer } from "./_checksum.ts";
import { CONTROL, MAX_BLOCKS } from "./_file_rows.ts";

interface Init {
  files: Record<string, string>;
  slots: ChainColumns[];
  control: Int32Array;
  checksums: Int32Array;
  error: Uint8Array;
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<Init>) => void) | null;
};

/** Writes all of `bytes` at `position` of a file. */
function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) {
    done += writeSync(fd, bytes, done, bytes.length - done, position + done);
  }
}

scope.onmessage = (e) => {
  const { files, slots, control, checksums, error } = e.data;
  const fds = new Map<string, number>();
  const sums = new Map<string, BlockChecksummer | null>();
  try {
    for (const [name] of COLUMN_TYPES) {
      fds.set(name, openSync(files[name], "r+"));
      sums.set(name, new BlockChecksummer());
    }
    Atomics.store(control, CONTROL.state, 1);
    Atomics.notify(control, CONTROL.state);
    for (;;) {
      const consumed = Atomics.load(control, CONTROL.consumed);
      const produced = Atomics.load(control, CONTROL.produced);
      if (produced === consumed) {
        if (Atomics.load(control, CONTROL.stop) === 1) {
          // Stop is set after the last slot was queued: read the count once more.
          if (Atomics.load(control, CONTROL.produced) === consumed) break;
          continue;
        }
        Atomics.wait(control, CONTROL.produced, produced, 1000);
        continue;
      }
      const k = consumed % slots.length;
      const start = control[CONTROL.slots + 2 * k];
      const count = control[CONTROL.slots + 2 * k + 1];
      for (const [name, Ctor] of COLUMN_TYPES) {
        const a = slots[k][name];
        const bytes = new Uint8Array(a.buffer, a.byteOffset, count * Ctor.BYTES_PER_ELEMENT);
        const position = start * Ctor.BYTES_PER_ELEMENT;
        writeAll(fds.get(name)!, bytes, position);
        const s = sums.get(name);
        if (s && s.length === position) s.update(bytes);
        else sums.set(name, null);
      }
      Atomics.add(control, CONTROL.consumed, 1);
      Atomics.notify(control, CONTROL.consumed);
    }
    for (const fd of fds.values()) closeSync(fd);
    COLUMN_TYPES.forEach(([name], k) => {
      const at = k * (MAX_BLOCKS + 1);
      const list = sums.get(name)?.checksums() ?? null;
      if (!list || list.length > MAX_BLOCKS) {
        checksums[at] = -1;
        return;
      }
      checksums[at] = list.length;
      list.forEach((h, i) => (checksums[at + 1 + i] = h | 0));
    });
    Atomics.store(control, CONTROL.state, 3);
  } catch (err) {
    const text = new TextEncoder().encode(String((err as Error)?.message ?? err));
    error.set(text.subarray(0, error.length - 1));
    Atomics.store(control, CONTROL.state, 2);
  }
  Atomics.notify(control, CONTROL.state);
  Atomics.notify(control, CONTROL.consumed);
};
