// 50 slow calls, then the window closes: the core cancels them all.
import { invoke } from "/__portcullis__/api.js";

const calls = Array.from({ length: 50 }, () => invoke("slow_dropped", { tag: "close", ms: 30000 }));
void calls;
for (let i = 0; i < 400; i++) {
  const stats = await invoke("cancel_stats");
  if (stats.started.close === 50) break;
  await new Promise((r) => setTimeout(r, 25));
}
await invoke("close_cancel_window");
