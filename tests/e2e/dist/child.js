import { invoke } from "/__portcullis__/api.js";
import { run, assert, assertEq, rejection } from "./harness.js";

await run([
  ["Window extractor: label", async () => {
    assertEq(await invoke("whoami"), "child", "label");
  }],
  ["Window extractor: set title and evaluate script", async () => {
    await invoke("retitle", { title: "Renamed" });
    // A script the command evaluates has run by the time its invoke resolves
    // (also when the main thread waits for a fast reply: see reply_wait).
    for (let i = 0; i < 50; i++) {
      await invoke("eval_here", { script: `window.__evaluated = ${i}` });
      assertEq(window.__evaluated, i, `evaluated before the reply, call ${i}`);
    }
  }],
  ["with 200 calls in flight, each reply still comes after its command's script", async () => {
    // Replies ready together run as one script (a batch); a reply must not
    // join a batch queued before its command's own script.
    window.__seen = new Set();
    const late = [];
    await Promise.all(Array.from({ length: 200 }, (_, i) =>
      invoke("eval_here", { script: `window.__seen.add(${i})` }).then(() => {
        if (!window.__seen.has(i)) late.push(i);
      })));
    assertEq(late.length, 0, `replies that overtook their script: ${late.slice(0, 10)}`);
    assertEq(window.__seen.size, 200, "every script ran");
  }],
  ["a window label cannot be taken twice", async () => {
    const err = await rejection(invoke("open_child"));
    assertEq(err.code, "command_error", "code");
    assert(err.message.includes("already open"), err.message);
  }],
]);
await invoke("close_me");
