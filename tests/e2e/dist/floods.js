// 100,000 invokes with 10,000 in flight, then hostile payloads. fl-steady
// measures its own latency meanwhile.
import { invoke } from "/__portcullis__/api.js";
import { run, assertEq, rejection, until } from "./harness.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// A test-hooks build hands the page the key, as an attacker who stole it has it.
const key = () => window.__PORTCULLIS_TEST__.key;
const postRaw = (rest) => window.ipc.postMessage(key() + "\n" + rest);

async function fetchRaw(headers, body) {
  const response = await fetch("/__portcullis__/ipc", { method: "POST", headers: { "X-Portcullis-Key": key(), ...headers }, body });
  return [response.status, await response.text()];
}

function frame(cmd, argsBytes) {
  const meta = new TextEncoder().encode(JSON.stringify({ kind: "invoke", cmd, json: argsBytes.length, bins: [] }));
  const body = new Uint8Array(4 + meta.length + argsBytes.length);
  new DataView(body.buffer).setUint32(0, meta.length, true);
  body.set(meta, 4);
  body.set(argsBytes, 4 + meta.length);
  return body;
}

await run([
  ["100,000 invokes, 10,000 in flight: each answered exactly once, and each ok one ran once", async () => {
    await until(() => invoke("has_flag", { name: "steady-ready" }), (f) => f);
    await invoke("sample_rss", { label: "before the flood" });
    const before = await invoke("ticks");
    await invoke("set_flag", { name: "flood-started" });
    const total = 100000;
    let ok = 0;
    let busy = 0;
    let settled = 0;
    let next = 0;
    const other = [];
    await new Promise((done) => {
      const launch = () => {
        next++;
        invoke("tick")
          .then(() => ok++, (err) => (err.code === "too_many_calls" ? busy++ : other.push(err.code)))
          .finally(() => {
            settled++;
            if (next < total) launch();
            else if (settled === total) done();
          });
      };
      for (let i = 0; i < 10000; i++) launch();
    });
    await invoke("set_flag", { name: "flood-done" });
    const ran = (await invoke("ticks")) - before;
    assertEq(other, [], "other errors");
    assertEq(ok + busy, total, "answered");
    assertEq(ran, ok, "ran = ok");
    await sleep(2000);
    await invoke("sample_rss", { label: "2 s after the flood" });
  }],
  ["hostile payloads get clear errors and the app goes on", async () => {
    // 100,000 nested arrays, posted with the key (the page cannot build it as a value).
    postRaw("77\ninvoke\necho\n" + '{"value":' + "[".repeat(100000) + "]".repeat(100000) + "}");
    const [deepStatus, deepBody] = await fetchRaw({}, frame("echo", new TextEncoder().encode('{"value":' + "[".repeat(100000) + "]".repeat(100000) + "}")));
    assertEq([deepStatus, JSON.parse(deepBody).code], [400, "invalid_args"], "100,000 levels by fetch");
    const [utf8Status, utf8Body] = await fetchRaw({}, frame("echo", new Uint8Array([0x7b, 0x22, 0x76, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])));
    assertEq([utf8Status, JSON.parse(utf8Body).code], [400, "invalid_args"], "invalid UTF-8");
    const truncated = frame("echo", new TextEncoder().encode('{"value":1}')).slice(0, 20);
    const [cutStatus, cutBody] = await fetchRaw({}, truncated);
    assertEq([cutStatus, JSON.parse(cutBody).code], [400, "invalid_args"], "truncated body");
    await invoke("sample_rss", { label: "after UTF-8 and truncated" });
    const [hugeStatus] = await fetchRaw({ "X-Portcullis-Call": "x".repeat(1 << 20) }, "{}").catch(() => [0]);
    // libsoup or the core refuses it; either way nothing runs and the app goes on.
    assertEq(hugeStatus !== 200, true, `a 1 MiB header (status ${hugeStatus})`);
    await invoke("sample_rss", { label: "after the huge header" });
    const keys = {};
    for (let i = 0; i < 1000000; i++) keys["k" + i] = 1;
    assertEq((await invoke("echo", { value: keys })) > 1000000, true, "a million keys");
    await sleep(1000);
    await invoke("sample_rss", { label: "1 s after a million keys" });
    const big = await rejection(invoke("echo", { value: "x".repeat(200 << 20) }));
    assertEq(big.code, "payload_too_large", "a 200 MiB string");
    await sleep(1000);
    await invoke("sample_rss", { label: "1 s after a refused 200 MiB argument" });
    assertEq(await invoke("echo", { value: 1 }), 1, "still answering");
  }],
  ["100 windows opened and closed: all gone, the app goes on", async () => {
    const before = await invoke("open_windows");
    await invoke("sample_rss", { label: "before 100 windows" });
    // Ten rounds of ten: a hundred web views created at once on two cores
    // can take longer than the suite's watchdog; the core's bookkeeping is
    // exercised the same way.
    for (let round = 0; round < 10; round++) {
      await invoke("open_many", { n: 10, round });
      const after = await until(() => invoke("open_windows"), (n) => n === before);
      assertEq(after, before, `open windows after round ${round}`);
    }
    await sleep(1000);
    await invoke("sample_rss", { label: "1 s after 100 windows closed" });
  }],
]);
