// Back on the app's origin: report what the page of another origin saw.
import { invoke } from "/__portcullis__/api.js";

const seen = JSON.parse(decodeURIComponent(location.hash.slice(1)));
const detail = JSON.stringify(seen);
await invoke("report", {
  window: "evil",
  results: [
    { name: "another origin gets no internals", ok: seen.internals === false, detail },
    { name: "another origin's raw postMessage was attempted (and ran nothing)", ok: seen.posted === true, detail },
    { name: "another origin's fetch to the app's IPC is refused", ok: seen["app://localhost/__portcullis__/ipc"] !== 200, detail },
    { name: "another origin's fetch to its own IPC path is refused", ok: seen["/__portcullis__/ipc"] !== 200, detail },
  ],
});
