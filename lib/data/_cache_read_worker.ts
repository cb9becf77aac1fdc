/**
 * Worker of the parallel cache read without maps (see _cache_read.ts): reads byte ranges of cache column files into
 * SharedArrayBuffers it is sent, then reports `{ error: null }` (or the error's message).
 *
 * @module
 */
import { closeSync, openSync, readSync } from "node:fs";

interface Job {
  file: string;
  buffer: SharedArrayBuffer;
  byteOffset: number;
  length: number;
  position: number;
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<{ jobs: Job[] }>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (e) => {
  const fds = new Map<string, number>();
  try {
    try {
      for (const j of e.data.jobs) {
        let fd = fds.get(j.file);
        if (fd === undefined) {
          fd = openSync(j.file, "r");
          fds.set(j.file, fd);
        }
        const bytes = new Uint8Array(j.buffer, j.byteOffset, j.length);
        let done = 0;
        while (done < j.length) {
          const n = readSync(fd, bytes, done, j.length - done, j.position + done);
          if (n <= 0) throw new Error("Cache entry is truncated");
          done += n;
        }
      }
    } finally {
      for (const fd of fds.values()) closeSync(fd);
    }
    scope.postMessage({ error: null });
  } catch (err) {
    scope.postMessage({ error: String((err as Error)?.message ?? err) });
  }
};
