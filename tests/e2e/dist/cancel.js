// Cancellation end to end: abort() rejects at once and the core drops the
// command; the Rust side counts drops and work done after an await
// (`cancel_stats`), read here before the app exits.
import { invoke } from "/__portcullis__/api.js";
import { run, assert, assertEq, rejection, untilStats as until } from "./harness.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const stats = () => invoke("cancel_stats");

await run([
  ["1,000 calls aborted together: each rejects at once with cancelled, every future is dropped", async () => {
    const controller = new AbortController();
    const calls = Array.from({ length: 1000 }, () => invoke("slow_dropped", { tag: "abort", ms: 30000 }, { signal: controller.signal }));
    await until((s) => s.started.abort === 1000);
    let rejected = 0;
    calls.forEach((call) => call.catch((err) => (rejected += err.code === "cancelled" ? 1 : 0)));
    controller.abort();
    // At once: the rejections are queued by abort() itself, before anything
    // comes back from the core.
    await null;
    await null;
    assertEq(rejected, 1000, "rejected as abort() returned");
    const after = await until((s) => s.drops.abort === 1000);
    assertEq([after.drops.abort, after.afterAwait.abort || 0], [1000, 0], "dropped, nothing ran after the await");
  }],
  ["a signal already aborted rejects without sending the call", async () => {
    const err = await rejection(invoke("never_called", {}, { signal: AbortSignal.abort() }));
    assertEq(err.code, "cancelled", "code");
    await sleep(100);
    assertEq((await stats()).never, 0, "the command never ran");
  }],
  ["aborting after the reply is a no-op", async () => {
    const controller = new AbortController();
    assertEq(await invoke("slow_dropped", { tag: "done", ms: 1 }, { signal: controller.signal }), "done", "result");
    controller.abort();
    const after = await until((s) => s.drops.done === 1);
    assertEq(after.afterAwait.done, 1, "it ran to the end");
  }],
  ["AbortSignal.timeout gives a timeout for free", async () => {
    const err = await rejection(invoke("slow_dropped", { tag: "timeout", ms: 30000 }, { signal: AbortSignal.timeout(200) }));
    assertEq(err.code, "cancelled", "code");
    const after = await until((s) => s.drops.timeout === 1);
    assertEq([after.drops.timeout, after.afterAwait.timeout || 0], [1, 0], "dropped, nothing after the await");
  }],
  ["a sync command polling its Cancellation stops", async () => {
    const controller = new AbortController();
    const call = invoke("polls", {}, { signal: controller.signal });
    await until((s) => s.polling === 1);
    controller.abort();
    assertEq((await rejection(call)).code, "cancelled", "code");
    assertEq((await until((s) => s.stopped === 1)).stopped, 1, "it saw the cancellation and stopped");
  }],
  ["a sync command that ignores it finishes; its reply is discarded", async () => {
    const controller = new AbortController();
    const call = invoke("ignores", {}, { signal: controller.signal });
    await sleep(50);
    controller.abort();
    assertEq((await rejection(call)).code, "cancelled", "code");
    assertEq((await until((s) => s.finished === 1)).finished, 1, "it ran to the end");
  }],
  ["a binary call on the fetch transport is cancelled too, its request aborted", async () => {
    const controller = new AbortController();
    const call = invoke("slow_bytes", { data: new Uint8Array(1 << 20), ms: 30000 }, { signal: controller.signal });
    await until((s) => s.started.bytes === 1);
    controller.abort();
    assertEq((await rejection(call)).code, "cancelled", "code");
    const after = await until((s) => s.drops.bytes === 1);
    assertEq([after.drops.bytes, after.afterAwait.bytes || 0], [1, 0], "dropped");
  }],
  ["the windows' pages going away cancel their calls: reload (100) and close (50)", async () => {
    const after = await until((s) => s.drops.reload === 100 && s.drops.close === 50);
    assertEq([after.started.reload, after.drops.reload, after.afterAwait.reload || 0], [100, 100, 0], "reload: each ran once, all dropped");
    assertEq([after.started.close, after.drops.close, after.afterAwait.close || 0], [50, 50, 0], "close: all dropped");
  }],
  ["the in-flight table is back to empty (this stats call aside)", async () => {
    assertEq((await until((s) => s.inFlight === 1)).inFlight, 1, "in flight");
  }],
]);
