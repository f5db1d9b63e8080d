// Channels from the main channels window: order, sizes, backpressure,
// closing, no leaks. ch-reload and ch-close end streams by going away.
import { invoke, Channel } from "/__portcullis__/api.js";
import { run, assert, assertEq, rejection, until } from "./harness.js";

const internals = window.__PORTCULLIS_INTERNALS__;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const stats = () => invoke("stream_stats");

function checksum(bytes) {
  // The core's: sum * 31 + byte, wrapping at 2^64.
  let sum = 0n;
  for (const b of bytes) sum = (sum * 31n + BigInt(b)) & 0xffffffffffffffffn;
  return sum;
}

await run([
  ["100,000 small messages arrive in order, once each", async () => {
    let expected = 1;
    let bad = null;
    let sum = 0;
    const out = new Channel((n) => {
      if (n !== expected && bad === null) bad = `got ${n}, expected ${expected}`;
      expected++;
      sum += n;
    });
    let ended = false;
    out.onclose = () => (ended = true);
    const total = await invoke("stream_numbers", { n: 100000, out });
    await until(async () => ended, (e) => e);
    assert(bad === null, bad);
    assertEq([expected - 1, sum, total, ended], [100000, 5000050000, 5000050000, true], "[count, sum, the core's sum, ended]");
  }],
  ["raw chunks of 0 B to 4 MiB arrive whole, in order, as Uint8Array", async () => {
    const sizes = [1, 0, 1000, 65536, 1 << 20, 7, 4 << 20, 3, 100000, 1];
    const got = [];
    const out = new Channel((chunk) => got.push(chunk));
    let ended = false;
    out.onclose = () => (ended = true);
    const coreSum = await invoke("chunks", { sizes, out });
    await until(async () => ended, (e) => e);
    assertEq(got.map((c) => c.length), sizes, "sizes in order");
    assert(got.every((c) => c instanceof Uint8Array), "Uint8Array");
    let sum = 0n;
    got.forEach((chunk, i) => {
      assert(chunk.every((b, j) => b === (i + j) % 251), `content of chunk ${i}`);
      sum = (sum + checksum(chunk)) & 0xffffffffffffffffn;
    });
    assertEq(sum.toString(), coreSum, "checksum against the core's");
  }],
  ["large JSON messages are fetched, and small ones keep their order around them", async () => {
    const sizes = [10, 300000, 5, 70000, 1];
    const got = [];
    const out = new Channel((text) => got.push(text));
    let ended = false;
    out.onclose = () => (ended = true);
    await invoke("big_texts", { sizes, out });
    await until(async () => ended, (e) => e);
    assertEq(got.map((t) => t.length), sizes, "lengths in order");
    assertEq(got.map((t) => t[0]).join(""), "abcde", "contents in order");
  }],
  ["a slow page: send waits, the bound holds", async () => {
    let taken = 0;
    const out = new Channel(() => {
      // Busy for 1 ms each: the page falls behind the core.
      const until = performance.now() + 1;
      while (performance.now() < until);
      taken++;
    });
    const max = await invoke("stream_watched", { n: 300, out });
    assert(max >= 1 && max <= 16, `most unacknowledged: ${max}`);
    await until(async () => taken, (n) => n === 300);
    assertEq(taken, 300, "all taken");
  }],
  ["try_send reports full at the bound", async () => {
    const out = new Channel(() => {});
    const results = await invoke("try_burst", { n: 20, out });
    assertEq(results.filter((r) => r === "ok").length, 16, "sent before full");
    assertEq(results.slice(16), ["Full", "Full", "Full", "Full"], "then full");
  }],
  ["closed by the page mid-stream: the command's next send fails, and it ran once", async () => {
    let got = 0;
    const out = new Channel(() => {
      got++;
      if (got === 10) out.close();
    });
    const err = await rejection(invoke("stream_forever", { tag: "page-close", out }));
    assertEq(err.code, "command_error", "the command's error");
    assert(err.message.includes("closed"), err.message);
    assertEq(got, 10, "nothing after the close");
  }],
  ["a window closed mid-stream ends its stream", async () => {
    await invoke("open_closer");
    const s = await until(stats, (s) => s.ended["window-close"] === 1);
    assertEq([s.started["window-close"], s.ended["window-close"]], [1, 1], "[started, ended]");
  }],
  ["10,000 channels opened and ended: nothing left in the page or the core", async () => {
    const before = await stats();
    const pageBefore = internals.channelCount();
    for (let i = 0; i < 10000; i++) {
      const out = new Channel(() => {});
      await invoke("one", { out });
    }
    // The last ones' ends may still be on their way.
    await until(async () => internals.channelCount(), (n) => n === pageBefore);
    assertEq(internals.channelCount(), pageBefore, "the page's channels");
    const after = await until(stats, (s) => s.open === before.open);
    assertEq(after.open, before.open, "the core's channels");
    const grew = after.webRssMiB - before.webRssMiB;
    assert(grew < 64, `web process grew ${grew.toFixed(1)} MiB (bound 64)`);
  }],
  ["a call that fails closes its channel in the page", async () => {
    const out = new Channel(() => {});
    const err = await rejection(invoke("stream_numbers", { n: "x", out }));
    assertEq(err.code, "invalid_args", "code");
    assertEq(out.closed, true, "closed");
  }],
]);
