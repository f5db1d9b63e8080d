// A call still running when its page goes away must not settle a call of the
// page that replaces it. The first load starts a slow call and reloads at
// once; the second load's calls get the ids a fresh page hands out, so a reply
// routed by id alone would land on one of them.
import { invoke } from "/__portcullis__/api.js";
import { run, assertEq } from "./harness.js";

if (sessionStorage.getItem("reloaded") === null) {
  sessionStorage.setItem("reloaded", "1");
  invoke("sleep_then", { ms: 400, tag: "from the page that went away" });
  location.reload();
} else {
  await run([
    ["a reply to the previous page never settles a call of this one", async () => {
      // Pending while the old page's reply comes back (at ~400 ms), with the
      // ids a fresh page starts from.
      const calls = Array.from({ length: 8 }, (_, i) => invoke("sleep_then", { ms: 1200, tag: `fresh ${i}` }));
      assertEq(await Promise.all(calls), calls.map((_, i) => `fresh ${i}`), "results");
    }],
  ]);
}
