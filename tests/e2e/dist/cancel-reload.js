// 100 slow calls, then a reload: the core cancels them all, none runs twice,
// and no reply reaches the new page. The main cancel page checks the counts.
import { invoke } from "/__portcullis__/api.js";
import { run, assertEq, untilStats } from "./harness.js";

if (sessionStorage.getItem("cancel-reloaded") === null) {
  sessionStorage.setItem("cancel-reloaded", "1");
  const calls = Array.from({ length: 100 }, () => invoke("slow_dropped", { tag: "reload", ms: 30000 }));
  // Reload once the core has them all.
  await untilStats((s) => s.started.reload === 100);
  void calls;
  location.reload();
} else {
  await run([
    ["after the reload, this page's calls work", async () => {
      assertEq(await invoke("slow_dropped", { tag: "fresh", ms: 1 }), "fresh", "a fresh call");
    }],
  ]);
}
