/**
 * Worker of BackgroundCacheWriter (see _cache_write.ts): writes a cache entry from the shared
 * columns it is sent, so that the loading thread does not wait for the disk. Replies once, after
 * `finish` or `abandon`, with `{ error: null }` or the first error's message.
 *
 * @module
 */
import { CacheWriter } from "./_cache_write.ts";

type Message =
  | { op: "start"; dir: string; key: string }
  | { op: "append"; columns: Parameters<CacheWriter["append"]>[0]; start: number; end: number }
  | {
    op: "finish";
    chains: Parameters<CacheWriter["finish"]>[0];
    coverage: Parameters<CacheWriter["finish"]>[1];
    files: string[];
    rewrite: Array<Parameters<CacheWriter["finish"]>[3] extends ReadonlySet<infer T> ? T : never>;
  }
  | { op: "abandon" };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<Message>) => void) | null;
  postMessage(message: unknown): void;
};

let writer: CacheWriter | null = null;
let failure: string | null = null;

scope.onmessage = (e) => {
  const m = e.data;
  try {
    if (m.op === "start") writer = new CacheWriter(m.dir, m.key);
    else if (m.op === "append") {
      if (!failure) writer!.append(m.columns, m.start, m.end);
    } else if (m.op === "finish") {
      if (failure) writer?.abandon();
      else writer!.finish(m.chains, m.coverage, m.files, new Set(m.rewrite));
      scope.postMessage({ error: failure });
    } else {
      writer?.abandon();
      scope.postMessage({ error: failure ?? "abandoned" });
    }
  } catch (err) {
    failure ??= String((err as Error)?.message ?? err);
    if (m.op === "finish" || m.op === "abandon") {
      writer?.abandon();
      scope.postMessage({ error: failure });
    }
  }
};
