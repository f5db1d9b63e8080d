// Runs in the events bench window. Throughput mode: 1 KB events pushed to
// this page by Portcullis (emitted from a command thread) against bare
// evaluate_script of the same payload from wry's main thread, and a page's
// emit against an invoke of the same size. Memory mode: counts the flood.
// Times are medians of batches (performance.now() has 1 ms resolution).
import { invoke, listen, emit } from "/__portcullis__/api.js";

const [mode, quick] = await invoke("mode");
/** Batches per row: a few when CI only proves the bench runs. */
const batches = (n) => (quick ? 3 : n);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const text = "x".repeat(1024 - '{"text":""}'.length);

let rawWaiting = null;
window.__rawEvent = () => {
  if (rawWaiting !== null && --rawWaiting.left === 0) rawWaiting.done();
};
function rawEvents(n) {
  return new Promise((done) => {
    rawWaiting = { left: n, done };
    window.ipc.postMessage("RAWEV\n" + n + "\n" + JSON.stringify({ text }));
  });
}

let ours = null;
await listen("blob", () => {
  if (ours !== null && --ours.left === 0) ours.done();
});
function ourEvents(n, size = 1024) {
  return new Promise((done) => {
    ours = { left: n, done };
    invoke("emit_n", { n, size });
  });
}

/** Times `batches` batches of each side (alternating who goes first): µs per unit. */
async function compare(name, sides, { batches, units, warmup = 3 }) {
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

if (mode === "throughput") {
  const rows = [];
  rows.push(await compare("core to page, 1 KB events, 1,000 at once (µs per event)", [
    ["raw evaluate_script x 1,000 (main thread)", () => rawEvents(1000)],
    ["portcullis emit x 1,000 (command thread)", () => ourEvents(1000)],
  ], { batches: batches(21), units: 1000 }));
  const sequential = (fn, n = 100) => async () => {
    for (let i = 0; i < n; i++) await fn();
  };
  rows.push(await compare("core to page, 1 KB event, one at a time (page asks, event arrives)", [
    ["raw evaluate_script", sequential(() => rawEvents(1), 20)],
    ["portcullis emit", sequential(() => ourEvents(1), 20)],
  ], { batches: batches(21), units: 20, warmup: 1 }));
  const args = { text };
  rows.push(await compare("page to core, 1 KB, sequential round trip", [
    ["portcullis invoke (1 KB arg)", sequential(() => invoke("echo", args))],
    ["portcullis emit (1 KB payload, a core listener)", sequential(() => emit("note", { text }))],
  ], { batches: batches(21), units: 100 }));
  await invoke("report", { rows, received: 0 });
} else if (mode === "large") {
  // One route per run (the core's threshold decides): time per event.
  const rows = [];
  for (const [label, size] of [["100 KiB", 102400], ["256 KiB", 262144], ["1 MiB", 1 << 20]]) {
    rows.push(await compare(`core to page, ${label} events, 10 at once (µs per event)`, [
      ["this route", () => ourEvents(10, size)],
    ], { batches: batches(11), units: 10, warmup: 2 }));
  }
  await invoke("report", { rows, received: 0 });
} else {
  let received = 0;
  await listen("blob", () => received++);
  const rss = await invoke("flood");
  await new Promise((r) => setTimeout(r, 500));
  await invoke("report", { rows: [], received, rss });
}
