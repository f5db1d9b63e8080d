import { invoke } from "/__portcullis__/api.js";
import { run, assert, assertEq, rejection } from "./harness.js";

await run([
  ["Window extractor: label", async () => {
    assertEq(await invoke("whoami"), "child", "label");
  }],
  ["Window extractor: set title and evaluate script", async () => {
    await invoke("retitle", { title: "Renamed" });
    await invoke("eval_here", { script: "window.__evaluated = 42" });
    for (let i = 0; i < 50 && window.__evaluated !== 42; i++) await new Promise((r) => setTimeout(r, 20));
    assertEq(window.__evaluated, 42, "evaluated");
  }],
  ["a window label cannot be taken twice", async () => {
    const err = await rejection(invoke("open_child"));
    assertEq(err.code, "command_error", "code");
    assert(err.message.includes("already open"), err.message);
  }],
]);
await invoke("close_me");
