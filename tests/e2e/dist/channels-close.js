// Opened by ch-main: starts a stream, then closes its own window mid-stream.
import { invoke, Channel } from "/__portcullis__/api.js";

let got = 0;
const out = new Channel(() => {
  got++;
  if (got === 5) invoke("close_me");
});
invoke("stream_forever", { tag: "window-close", out }).catch(() => {});
