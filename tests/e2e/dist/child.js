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
  ["a window label cannot be taken twice", async () => {
    const err = await rejection(invoke("open_child"));
    assertEq(err.code, "command_error", "code");
    assert(err.message.includes("already open"), err.message);
  }],
]);
await invoke("close_me");
