import { invoke } from "/__portcullis__/api.js";
import { run, assert, assertEq } from "./harness.js";

await run([
  ["the window label is this window's", async () => {
    assertEq(await invoke("whoami"), "second", "label");
  }],
  ["state set by the main window is visible here", async () => {
    // The main window sets it as soon as its page runs; the bound is only
    // there to report a failure before the test's watchdog fires.
    for (let i = 0; i < 600; i++) {
      if ((await invoke("get_note")) === "from main") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assertEq(await invoke("get_note"), "from main", "note");
    for (let i = 0; i < 10; i++) await invoke("bump");
  }],
  ["navigation to a remote site is blocked", async () => {
    const before = location.href;
    location.href = "https://example.com/";
    await new Promise((r) => setTimeout(r, 1000));
    assertEq(location.href, before, "still on the app page");
  }],
]);
