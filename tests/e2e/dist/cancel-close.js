// 50 slow calls, then the window closes: the core cancels them all.
import { invoke } from "/__portcullis__/api.js";
import { untilStats } from "./harness.js";

const calls = Array.from({ length: 50 }, () => invoke("slow_dropped", { tag: "close", ms: 30000 }));
void calls;
await untilStats((s) => s.started.close === 50);
await invoke("close_cancel_window");
