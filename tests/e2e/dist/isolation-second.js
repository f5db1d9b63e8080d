import { invoke } from "/__portcullis__/api.js";
import { run, assertEq } from "./harness.js";
import { postWithKey, sleep } from "./attacker.js";

// Both windows call it once, concurrently; Rust checks the total.
await invoke("counted");

await run([
  ["calls work in a second isolated window", async () => {
    assertEq(await invoke("greet", { name: "B" }), "Hello, B!", "greet");
  }],
  ["a cancel sealed by another window does not reach this window's call", async () => {
    while (!(await invoke("has_flag", { name: "main-ready" }))) await sleep(25);
    const call = invoke("slow_iso", { tag: "other-window", ms: 4000 });
    // Nothing else is sent meanwhile: the last envelope is this call's.
    await sleep(200);
    const { key, sent } = window.__PORTCULLIS_TEST__;
    // The call's id: the first field of the envelope this page posted last.
    const id = Number(sent.at(-1).slice(key.length + 1).split("\n")[0]);
    await invoke("stash_id", { id });
    assertEq(await call, "other-window", "the call finished normally");
    assertEq(await invoke("has_flag", { name: "cancel-sent" }), true, "the other window's cancel was sent while it ran");
  }],
  ["window A's envelope posted in window B is refused", async () => {
    let envelope = null;
    // Window A stashes it after most of its checks, seconds in on a slow
    // machine; the bound only reports a failure before the watchdog fires.
    for (let i = 0; i < 2400 && envelope === null; i++) {
      envelope = await invoke("unstash");
      if (envelope === null) await sleep(25);
    }
    assertEq(typeof envelope, "string", "got window A's envelope");
    postWithKey(envelope);
    await sleep(200);
  }],
]);
