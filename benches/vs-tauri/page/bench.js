// The head-to-head page (`cargo xtask bench-vs-tauri`): one page, served by
// the Portcullis twin and by the Tauri twin. The only difference between the
// two is how `invoke` is reached and how raw bytes are passed to it (each
// framework's documented way). Times are per call: medians of batches timed
// with performance.now() (1 ms resolution in WebKitGTK: time batches).
// Start-up stamps (ms since navigation start; see the harness's breakdown).
const scriptStart = performance.now();

// Warnings the frameworks print in the page (Tauri says here when it falls
// back from its fetch transport to postMessage); the harness shows them.
const warnings = [];
for (const level of ["warn", "error"]) {
  const original = console[level];
  console[level] = (...args) => {
    warnings.push(args.map((a) => (a instanceof Error ? a.stack ?? a.message : String(a))).join(" "));
    original.apply(console, args);
  };
}
const tauri = window.__TAURI_INTERNALS__;
const invoke = tauri
  ? (cmd, args) => tauri.invoke(cmd, args)
  : (await import("/__portcullis__/api.js")).invoke;
// Tauri takes raw bytes (a Uint8Array) as the whole argument.
const bytesArgs = tauri ? (data) => data : (data) => ({ data });

// The first reply; then the harness is told (it times spawn → this line).
const apiReady = performance.now();
const { isolation, task } = await invoke("mode");
const firstReply = performance.now();
await invoke("mark", { what: "started" });
{
  const nav = performance.getEntriesByType("navigation")[0];
  const stamps = {
    timeOrigin: performance.timeOrigin,
    responseEnd: nav?.responseEnd ?? NaN,
    scriptStart,
    apiReady,
    firstReply,
  };
  await invoke("mark", { what: `startup ${JSON.stringify(stamps)}` });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (bytes) => "x".repeat(bytes - '{"text":""}'.length);

/** Per-call time of `batches` batches of `calls` calls: the median batch. */
async function time(fn, { batches, calls, concurrent = false, warmup = 20 }) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let b = 0; b < batches; b++) {
    const start = performance.now();
    if (concurrent) await Promise.all(Array.from({ length: calls }, fn));
    else for (let i = 0; i < calls; i++) await fn();
    times.push(((performance.now() - start) * 1000) / calls);
  }
  return median(times);
}

async function check(fn, expect) {
  const got = await fn();
  const size = (v) => v.byteLength ?? v.length;
  if (size(got) !== expect) throw new Error(`wrong reply: ${size(got)} bytes, expected ${expect}`);
}

async function rows(phase) {
  const out = [];
  // One line per row for the harness: phase, name, microseconds per call.
  const row = async (name, fn, opts) => {
    out.push(`${phase}\t${name}\t${await time(fn, opts)}`);
    await invoke("mark", { what: `progress ${phase}: ${name}` });
  };
  for (const [label, size] of [["16 B", 16], ["1 KB", 1024], ["64 KB", 65536]]) {
    const args = { text: text(size) };
    await check(() => invoke("echo", args), args.text.length);
    await row(`JSON echo ${label}, sequential`, () => invoke("echo", args), {
      batches: 21,
      calls: size > 10000 ? 20 : 100,
    });
  }
  for (const n of [100, 1000]) {
    const args = { text: text(1024) };
    await row(`JSON echo 1 KB, ${n} in flight (per call)`, () => invoke("echo", args), {
      batches: n > 100 ? 9 : 21,
      calls: n,
      concurrent: true,
    });
  }
  // Binary with isolation is slow in Tauri (bytes become JSON arrays): fewer
  // batches there, for both twins alike.
  for (const [label, size, batches, calls] of isolation
    ? [["1 MiB", 1 << 20, 3, 1], ["10 MiB", 10 << 20, 1, 1]]
    : [["1 MiB", 1 << 20, 15, 5], ["10 MiB", 10 << 20, 9, 1]]) {
    const data = new Uint8Array(size).fill(7);
    await check(() => invoke("bytes_echo", bytesArgs(data)), size);
    await row(`binary echo ${label} up+down`, () => invoke("bytes_echo", bytesArgs(data)), {
      batches,
      calls,
      warmup: isolation ? 0 : 2,
    });
  }
  return out;
}

// Any failure is reported to the harness, which stops the run and says so.
try {
  const small = { text: text(16) };
  if (task === "small") {
    // Sequential small calls only, fresh and after 10,000 calls (for looking
    // into the bimodality of these rows; BENCHMARKS.md).
    const out = [];
    for (const phase of ["fresh page", "after 10,000 calls"]) {
      if (out.length > 0) for (let i = 0; i < 10_000; i++) await invoke("echo", small);
      for (const size of [16, 1024]) {
        const args = { text: text(size) };
        out.push(`${phase}\tJSON echo ${size} B\t${await time(() => invoke("echo", args), { batches: 21, calls: 100 })}`);
      }
    }
    await invoke("report", { rows: out });
  } else if (task === "crossover") {
    // Portcullis twin only: each direction of its transport choice alone,
    // sequential, µs per call. `take`: a large request, a small reply,
    // posted or by the fetch transport; `give`: a small request, a large
    // reply (evaluated; a build parking large JSON replies for the page to
    // fetch was timed against it: BENCHMARKS.md, the transport crossover).
    const out = [];
    for (const size of [4096, 16384, 32768, 65536, 131072, 262144, 1 << 20, 4 << 20]) {
      const calls = size > 1e6 ? 2 : size > 1e5 ? 10 : 20;
      const opts = { batches: 11, calls, warmup: 2 };
      const reply = await time(() => invoke("give", { len: size }), opts);
      out.push(`reply\t${size}\t${reply}`);
      // Above the switch point requests are fetched anyway.
      if (size > 262144) continue;
      const args = { text: text(size) };
      const posted = await time(() => invoke("take", args), opts);
      const fetched = await time(() => invoke("take", args, { transport: "fetch" }), opts);
      out.push(`request\t${size} posted\t${posted}`, `request\t${size} fetch\t${fetched}`);
    }
    await invoke("report", { rows: out });
  } else if (task === "floor") {
    // What an isolated call's extra steps cost in this web view, without
    // any framework: one AES-GCM encrypt of 100 bytes by WebCrypto (the
    // isolation frame does one per message), and one postMessage round trip
    // within the page (an isolated call crosses between page and frame
    // twice). Sequential, µs each.
    const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt"]);
    const data = new Uint8Array(100);
    const encrypt = () => crypto.subtle.encrypt({ name: "AES-GCM", iv: crypto.getRandomValues(new Uint8Array(12)) }, key, data);
    const ping = () => new Promise((resolve) => {
      window.addEventListener("message", resolve, { once: true });
      window.postMessage("ping", "*");
    });
    const out = [];
    for (let round = 0; round < 3; round++) {
      out.push(`floor\tWebCrypto AES-GCM encrypt 100 B\t${await time(encrypt, { batches: 21, calls: 100 })}`);
      out.push(`floor\tpostMessage round trip\t${await time(ping, { batches: 21, calls: 100 })}`);
      out.push(`floor\tsmall call\t${await time(() => invoke("echo", small), { batches: 21, calls: 100 })}`);
    }
    await invoke("report", { rows: out });
  } else if (task === "startup") {
    // Start-up only (`--startup-only`): the stamps above are all it needs.
    await invoke("report", { rows: [] });
  } else if (task.startsWith("probe ")) {
    // One binary echo of the given size, timed (for looking into one row).
    const size = Number(task.split(" ")[1]);
    const data = task.endsWith(" buffer") ? new Uint8Array(size).fill(7).buffer : new Uint8Array(size).fill(7);
    const start = performance.now();
    const got = await invoke("bytes_echo", bytesArgs(data));
    await invoke("mark", { what: `progress probe ${size}: ${got.byteLength ?? got.length} bytes in ${performance.now() - start} ms` });
    await invoke("mark", { what: `progress warnings: ${JSON.stringify(warnings)}` });
    await invoke("report", { rows: [] });
  } else if (task === "memory") {
    // RSS over 100,000 sequential small calls: the harness samples both
    // processes at each mark, after a quiet second and a half.
    for (let i = 0; i <= 100_000; i++) {
      if (i % 10_000 === 0) {
        await sleep(1500);
        await invoke("mark", { what: `calls ${i}` });
      }
      if (i < 100_000) await invoke("echo", small);
    }
    await invoke("report", { rows: [] });
  } else {
    const fresh = await rows("fresh page");
    for (let i = 0; i < 10_000; i++) await invoke("echo", small);
    const warm = await rows("after 10,000 calls");
    await invoke("report", { rows: [...fresh, ...warm] });
  }
  document.getElementById("status").textContent = "done";
} catch (err) {
  await invoke("mark", { what: `error ${err?.stack ?? JSON.stringify(err)}` });
}
