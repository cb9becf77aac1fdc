// Importing main.ts type-checks the CLI with the rest of the suite (it runs only as a script).
import assert from "node:assert/strict";
import "../main.ts";

Deno.test("main.ts type-checks and imports without running the CLI", () => {
  assert.ok(true);
});
