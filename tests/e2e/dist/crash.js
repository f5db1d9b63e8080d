// The first load keeps something in the core's state and has its own web
// process killed. The window must come back with the page reloaded in a new
// web process, the core's state intact.
import { invoke } from "/__portcullis__/api.js";
import { run, assertEq } from "./harness.js";

const loads = await invoke("page_started");
if (loads === 1) {
  await invoke("remember", { value: 42 });
  // Never answered: this page dies with its process.
  invoke("kill_web_processes");
} else {
  await run([
    ["the page was loaded again after its web process was killed", async () => {
      assertEq(loads, 2, "page loads");
    }],
    ["the core kept its state across the crash", async () => {
      assertEq(await invoke("recall"), 42, "remembered value");
    }],
    ["calls work in the new web process", async () => {
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => invoke("double", { n: i })));
      assertEq(results, results.map((_, i) => 2 * i), "results");
    }],
  ]);
}
