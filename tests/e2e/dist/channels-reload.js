// Reloads mid-stream: the core ends the stream (its next send fails) and
// never runs the command again.
import { invoke, Channel } from "/__portcullis__/api.js";
import { run, assertEq, until } from "./harness.js";

if (sessionStorage.getItem("channels-reloaded") === null) {
  sessionStorage.setItem("channels-reloaded", "1");
  let got = 0;
  const out = new Channel(() => {
    got++;
    if (got === 5) location.reload();
  });
  invoke("stream_forever", { tag: "reload", out }).catch(() => {});
} else {
  await run([
    ["after a reload mid-stream, the stream stopped and ran once", async () => {
      const s = await until(() => invoke("stream_stats"), (s) => s.ended.reload === 1);
      assertEq([s.started.reload, s.ended.reload], [1, 1], "[started, ended]");
      assertEq(window.__PORTCULLIS_INTERNALS__.channelCount(), 0, "a fresh page has no channel");
    }],
  ]);
}
