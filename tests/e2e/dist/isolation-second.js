import { invoke } from "/__portcullis__/api.js";
import { run, assertEq } from "./harness.js";
import { postWithKey, sleep } from "./attacker.js";

// Both windows call it once, concurrently; Rust checks the total.
await invoke("counted");

await run([
  ["calls work in a second isolated window", async () => {
    assertEq(await invoke("greet", { name: "B" }), "Hello, B!", "greet");
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
