// Runs in the channels bench window: streaming through a Channel against
// the bare web view doing the same (custom-scheme GETs for bytes,
// evaluate_script for small messages). Times are medians of batches.
import { invoke, Channel } from "/__portcullis__/api.js";

const quick = await invoke("quick");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const text = "x".repeat(1024 - 2);

let rawWaiting = null;
window.__rawEvent = () => {
  if (rawWaiting !== null && --rawWaiting.left === 0) rawWaiting.done();
};
function rawMessages(n) {
  return new Promise((done) => {
    rawWaiting = { left: n, done };
    window.ipc.postMessage("RAWEV\n" + n + "\n" + JSON.stringify(text));
  });
}

/** Sends `n` messages through a fresh channel; resolves when all arrived. */
function ourMessages(n) {
  return new Promise((done) => {
    let left = n;
    const out = new Channel(() => {
      if (--left === 0) done();
    });
    invoke("json_messages", { n, out });
  });
}

async function rawChunks(count, size) {
  for (let i = 0; i < count; i++) {
    await (await fetch(`/__raw__/bytes/${size}`)).arrayBuffer();
  }
}

function ourChunks(count, size) {
  return new Promise((done) => {
    let left = count;
    const out = new Channel((chunk) => {
      if (chunk.byteLength !== size) throw new Error(`chunk of ${chunk.byteLength}`);
      if (--left === 0) done();
    });
    invoke("byte_chunks", { count, size, out });
  });
}

async function compare(name, sides, { batches, units, warmup = 1 }) {
  const times = sides.map(() => []);
  for (const [, fn] of sides) for (let i = 0; i < warmup; i++) await fn();
  for (let b = 0; b < batches; b++) {
    for (let s = 0; s < sides.length; s++) {
      const side = (s + b) % sides.length;
      const start = performance.now();
      await sides[side][1]();
      times[side].push(((performance.now() - start) * 1000) / units);
    }
  }
  return { name, sides: sides.map(([label], i) => ({ label, us: median(times[i]) })) };
}

const rows = [];
const messages = quick ? 1000 : 10000;
rows.push(await compare(`1 KB JSON messages, ${messages} per batch (µs per message)`, [
  ["raw evaluate_script (main thread)", () => rawMessages(messages)],
  ["portcullis Channel<String> (command thread)", () => ourMessages(messages)],
], { batches: quick ? 3 : 11, units: messages }));
const chunks = quick ? 16 : 128;
rows.push(await compare(`1 MiB chunks, ${chunks} per batch (µs per MiB)`, [
  ["raw custom-scheme GET, one after another", () => rawChunks(chunks, 1 << 20)],
  ["portcullis Channel<Bytes>", () => ourChunks(chunks, 1 << 20)],
], { batches: quick ? 3 : 8, units: chunks }));
const before = await invoke("web_rss");
// 1 GiB (64 MiB when quick) through one channel, for the memory it takes.
const total = quick ? 64 : 1024;
const start = performance.now();
await ourChunks(total, 1 << 20);
const seconds = (performance.now() - start) / 1000;
const after = await invoke("web_rss");
const latency = await new Promise((done) => {
  const out = new Channel(() => {});
  invoke("latency", { n: quick ? 50 : 1000, out }).then(done);
});
await invoke("report", { rows, stream: { mib: total, seconds, rssBefore: before, rssAfter: after }, latency });
