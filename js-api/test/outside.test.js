// portcullis-api outside a page with IPC: every entry point says why, and
// what to configure, instead of failing obscurely.
import { test } from "node:test";
import assert from "node:assert/strict";

test("without the injected internals, calls reject with an explanation", async () => {
  globalThis.location = { origin: "https://docs.example.com" };
  const api = await import("../index.js");
  for (const call of [() => api.invoke("greet"), () => api.listen("x", () => {}), () => api.emit("x", 1)]) {
    await assert.rejects(call(), (err) => {
      assert.match(err.message, /has no IPC \(this page: https:\/\/docs\.example\.com\)/);
      assert.match(err.message, /Capability::remote/);
      return true;
    });
  }
  assert.throws(() => api.currentWindowLabel(), /has no IPC/);
  assert.throws(() => new api.Channel(() => {}), /has no IPC/);
  delete globalThis.location;
});
