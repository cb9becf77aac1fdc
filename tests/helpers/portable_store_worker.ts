/**
 * A Web Worker for the mapped-store tests: opens the store it is posted (ChainStore.portable)
 * and replies with the sum of every column (NaN counted as 0), computed on its own maps.
 */
import { ChainStore, type PortableStore } from "../../lib/data/chain_store.ts";

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<PortableStore>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (e) => {
  const store = ChainStore.fromPortable(e.data);
  const sums: Record<string, number> = {};
  for (const [name, a] of Object.entries(store.columns)) {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += Number.isNaN(a[i]) ? 0 : a[i];
    sums[name] = s;
  }
  scope.postMessage(sums);
};
