// 1,000 listen/unlisten cycles, then a reload: nothing is left registered in
// the core or the page. The core checks again when this page reports.
import { invoke, listen } from "/__portcullis__/api.js";
import { run, assertEq } from "./harness.js";

const internals = window.__PORTCULLIS_INTERNALS__;

if (sessionStorage.getItem("events-reloaded") === null) {
  for (let i = 0; i < 1000; i++) {
    const stop = await listen("progress", () => {});
    stop();
  }
  await listen("progress", () => {});
  await listen("seq", () => {});
  await listen("blob", () => {});
  const [names] = await invoke("subscriptions", { window: "ev-reload" });
  sessionStorage.setItem("events-before", JSON.stringify([names, internals.listenerCount()]));
  sessionStorage.setItem("events-reloaded", "1");
  location.reload();
} else {
  await run([
    ["before the reload: only the three live listeners were registered", async () => {
      assertEq(JSON.parse(sessionStorage.getItem("events-before")), [3, 3], "[core names, page listeners]");
    }],
    ["after the reload: nothing registered in the core or the page", async () => {
      const [names] = await invoke("subscriptions", { window: "ev-reload" });
      assertEq([names, internals.listenerCount()], [0, 0], "[core names, page listeners]");
      await listen("progress", () => {});
      const [after] = await invoke("subscriptions", { window: "ev-reload" });
      assertEq(after, 1, "a new listener registers");
    }],
  ]);
}
