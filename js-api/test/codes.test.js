// The typed API lists exactly the error codes the core can produce.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const WIRE = JSON.parse(readFileSync(new URL("../../runtime/js/wire.json", import.meta.url), "utf8"));
const DTS = readFileSync(new URL("../index.d.ts", import.meta.url), "utf8");

test("index.d.ts lists every error code of the core, and no other", () => {
  const union = DTS.slice(DTS.indexOf("export type IpcErrorCode"), DTS.indexOf("(string & {})"));
  const listed = [...union.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
  assert.deepEqual([...listed].sort(), [...WIRE.codes].sort());
});
