// Runs in the bench window: raw wry round trips and Portcullis invokes, in
// interleaved batches, in the same web view. Times are per call, medians of
// batches (performance.now() has 1 ms resolution in WebKitGTK: time batches).
import { invoke } from "/__portcullis__/api.js";

await invoke("first_reply");

const rawPending = new Map();
let rawId = 0;
window.__rawReply = (id, value) => {
  const resolve = rawPending.get(id);
  rawPending.delete(id);
  resolve(value);
};
function rawEcho(args) {
  return new Promise((resolve) => {
    const id = ++rawId;
    rawPending.set(id, resolve);
    window.ipc.postMessage("RAW\n" + id + "\n" + JSON.stringify(args));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Times `batches` batches of `calls` calls of each side, alternating. */
async function compare(name, sides, { batches, calls, concurrent = false, warmup = 20 }) {
  const times = sides.map(() => []);
  for (const [, fn] of sides) for (let i = 0; i < warmup; i++) await fn(i);
  for (let b = 0; b < batches; b++) {
    for (let s = 0; s < sides.length; s++) {
      const side = (s + b) % sides.length; // alternate who goes first
      const fn = sides[side][1];
      const start = performance.now();
      if (concurrent) await Promise.all(Array.from({ length: calls }, (_, i) => fn(i)));
      else for (let i = 0; i < calls; i++) await fn(i);
      times[side].push(((performance.now() - start) * 1000) / calls);
    }
  }
  return { name, sides: sides.map(([label], i) => ({ label, us: median(times[i]) })) };
}

const text = (bytes) => "x".repeat(bytes - '{"text":""}'.length);
const rows = [];
for (const [label, size] of [["16 B", 16], ["1 KB", 1024], ["64 KB", 65536]]) {
  const args = { text: text(size) };
  const calls = size > 10000 ? 20 : 100;
  rows.push(await compare(`JSON echo ${label}, sequential`, [
    ["raw wry postMessage + evaluate_script", () => rawEcho(args)],
    ["portcullis invoke, sync command", () => invoke("echo", args)],
    ["portcullis invoke, async command", () => invoke("echo_async", args)],
  ], { batches: 21, calls }));
}
{
  const args = { text: text(1024) };
  rows.push(await compare("JSON echo 1 KB, 100 in flight", [
    ["raw wry postMessage + evaluate_script", () => rawEcho(args)],
    ["portcullis invoke", () => invoke("echo", args)],
  ], { batches: 21, calls: 100, concurrent: true }));
}
for (const [label, size, batches, calls] of [["1 MiB", 1 << 20, 15, 5], ["10 MiB", 10 << 20, 9, 1]]) {
  const data = new Uint8Array(size).fill(7);
  rows.push(await compare(`binary up ${label}`, [
    ["raw custom-scheme POST", async () => {
      await (await fetch("/__raw__/bytes/0", { method: "POST", body: data })).arrayBuffer();
    }],
    ["portcullis invoke (Bytes arg)", () => invoke("bytes_len", { data })],
  ], { batches, calls, warmup: 2 }));
  rows.push(await compare(`binary down ${label}`, [
    ["raw custom-scheme GET", async () => {
      await (await fetch(`/__raw__/bytes/${size}`)).arrayBuffer();
    }],
    ["portcullis invoke (Bytes result)", () => invoke("bytes_make", { len: size })],
  ], { batches, calls, warmup: 2 }));
  rows.push(await compare(`binary echo ${label} (up+down)`, [
    ["raw custom-scheme POST echo", async () => {
      await (await fetch("/__raw__/echo", { method: "POST", body: data })).arrayBuffer();
    }],
    ["portcullis invoke (Bytes arg and result)", () => invoke("bytes_echo", { data })],
  ], { batches, calls, warmup: 2 }));
}
await invoke("report", { rows });
