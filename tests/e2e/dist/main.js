import { invoke, IpcError } from "/__portcullis__/api.js";
// The bindings the runtime generates from this app's commands.
import * as bindings from "/__portcullis__/bindings.js";
import { run, assert, assertEq, rejection } from "./harness.js";

// The one legitimate `record` call: Rust checks that no attack added another.
await invoke("record");
// Before the checks, so the second window, which waits for this note, never
// depends on how long the checks take on a slow machine.
await invoke("set_note", { note: "from main" });

function withTimeout(promise, ms, what) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)),
  ]);
}

/** Loads a frame and waits for the observations it posts to its parent. */
function frameReport(attributes) {
  const frame = document.createElement("iframe");
  for (const [name, value] of Object.entries(attributes)) frame.setAttribute(name, value);
  const report = new Promise((resolve) => {
    window.addEventListener("message", (event) => {
      if (event.source === frame.contentWindow) resolve(event.data);
    });
  });
  document.body.append(frame);
  return withTimeout(report, 30000, "frame report");
}

await run([
  ["generated bindings: values", async () => {
    assertEq(await bindings.greet("Ada"), "Hello, Ada!", "greet");
    assertEq(await bindings.makeTodo("milk", 7), { title: "milk", dueDate: 7, done: false }, "struct");
    assertEq(await bindings.makeTodo("milk"), { title: "milk", dueDate: null, done: false }, "trailing Option left out");
    assertEq(await bindings.echo({ nested: [1, "two", null] }), { nested: [1, "two", null] }, "JSON value");
  }],
  ["generated bindings: typed errors", async () => {
    const err = await rejection(bindings.fail("too_long"));
    assert(bindings.isFailError(err), "isFailError recognises the command's error");
    assertEq(err.data, { kind: "too_long", max: 20 }, "data");
    const other = await rejection(bindings.boom());
    assert(!bindings.isFailError(other), "a panic of another command is not a FailError");
    assertEq(other.code, "panic", "panic code");
  }],
  ["generated bindings: raw bytes both ways", async () => {
    const data = new Uint8Array(1 << 16).map((_, i) => (i * 7) % 256);
    const back = await bindings.bytesEcho(data);
    assert(back instanceof Uint8Array, "a Uint8Array");
    assertEq(back.length, data.length, "length");
    assert(back.every((b, i) => b === data[i]), "same bytes");
    const made = await bindings.bytesMake(300);
    assertEq([made.length, made[299]], [300, 299 % 251], "bytes result");
  }],
  ["string argument", async () => {
    assertEq(await invoke("greet", { name: "Ada" }), "Hello, Ada!", "greet");
  }],
  ["commands never run on the UI thread", async () => {
    const sync = await invoke("thread_name");
    assert(["portcullis-command", "portcullis-warm"].includes(sync), `sync command thread: ${sync}`);
    const async = await invoke("async_thread_name");
    assert(["portcullis-command", "portcullis-warm"].includes(async), `async command thread: ${async}`);
  }],
  ["async calls one after another start on the warm thread, and go on as tasks when they wait", async () => {
    const names = [];
    for (let i = 0; i < 20; i++) names.push(await invoke("async_thread_name"));
    const warm = names.filter((name) => name === "portcullis-warm").length;
    assert(warm >= 5, `${warm} of 20 on the warm thread: ${names.join(", ")}`);
    const [first, after] = await invoke("async_threads_across_a_wait");
    assert(["portcullis-command", "portcullis-warm"].includes(first), `first poll: ${first}`);
    assertEq(after, "portcullis-command", "after the wait");
  }],
  ["sync calls one after another start on the warm thread", async () => {
    // It takes any call that comes while it waits, awake or asleep; the
    // other windows' calls running meanwhile can take it first (then the
    // call runs on the pool), so not every one.
    const names = [];
    for (let i = 0; i < 20; i++) names.push(await invoke("thread_name"));
    const warm = names.filter((name) => name === "portcullis-warm").length;
    assert(warm >= 5, `${warm} of 20 on the warm thread: ${names.join(", ")}`);
  }],
  ["struct result with camelCase keys", async () => {
    const todo = await invoke("make_todo", { title: "milk", dueDate: 7 });
    assertEq(todo, { title: "milk", dueDate: 7, done: false }, "todo");
  }],
  ["Option argument absent or null", async () => {
    assertEq(await invoke("make_todo", { title: "a" }), { title: "a", dueDate: null, done: false }, "absent");
    assertEq(await invoke("make_todo", { title: "b", dueDate: null }), { title: "b", dueDate: null, done: false }, "null");
  }],
  ["command error with typed data", async () => {
    const err = await rejection(invoke("fail", { kind: "too_long" }));
    assert(err instanceof IpcError, "an IpcError");
    assert(err instanceof Error, "an Error");
    assertEq([err.code, err.command, err.data], ["command_error", "fail", { kind: "too_long", max: 20 }], "error");
  }],
  ["panic becomes an error and the app goes on", async () => {
    const err = await rejection(invoke("boom"));
    assertEq(err.code, "panic", "code");
    assert(err.message.includes("kaboom"), err.message);
    assertEq(await invoke("greet", { name: "still here" }), "Hello, still here!", "after panic");
  }],
  ["unknown command", async () => {
    const err = await rejection(invoke("no_such_command", {}));
    assertEq([err.code, err.command], ["unknown_command", "no_such_command"], "error");
  }],
  ["invalid args name the key", async () => {
    let err = await rejection(invoke("greet", { name: 42 }));
    assertEq([err.code, err.arg], ["invalid_args", "name"], "wrong type");
    assert(err.message.includes('"name"'), err.message);
    err = await rejection(invoke("greet", {}));
    assertEq([err.code, err.arg], ["invalid_args", "name"], "missing");
  }],
  ["binary round trip, 1 MiB, exact bytes", async () => {
    const data = new Uint8Array(1 << 20);
    for (let i = 0; i < data.length; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
    const back = await invoke("bytes_echo", { data });
    assert(back instanceof Uint8Array, `a Uint8Array, got ${Object.prototype.toString.call(back)}`);
    assertEq(back.length, data.length, "length");
    for (let i = 0; i < data.length; i++) if (back[i] !== data[i]) throw new Error(`byte ${i} differs`);
  }],
  ["binary result of a JSON call", async () => {
    const bytes = await invoke("bytes_make", { len: 1000 });
    assert(bytes instanceof Uint8Array, "a Uint8Array");
    assertEq(bytes.length, 1000, "length");
    for (let i = 0; i < bytes.length; i++) if (bytes[i] !== i % 251) throw new Error(`byte ${i}`);
  }],
  ["large JSON goes through the fetch transport", async () => {
    const value = "x".repeat(2_000_000);
    assertEq((await invoke("echo", { value })).length, value.length, "length");
  }],
  ["2000 concurrent invokes all resolve, each with its own result", async () => {
    const results = await Promise.all(Array.from({ length: 2000 }, (_, i) => invoke("echo", { value: i })));
    results.forEach((value, i) => assertEq(value, i, `call ${i}`));
  }],
  ["slow and fast async commands complete out of order", async () => {
    const order = [];
    const slow = invoke("sleep_then", { ms: 400, tag: "slow" }).then((t) => order.push(t));
    const fast = invoke("sleep_then", { ms: 1, tag: "fast" }).then((t) => order.push(t));
    await Promise.all([slow, fast]);
    assertEq(order, ["fast", "slow"], "order");
  }],
  ["state is shared with the second window", async () => {
    for (let i = 0; i < 10; i++) await invoke("bump");
  }],
  ["a same-origin sub-frame has no key and its raw messages are refused", async () => {
    const seen = await frameReport({ src: "frame.html" });
    assertEq(seen.internals, false, "internals in the frame");
    assertEq(seen.posted, true, "raw postMessage attempted");
    assertEq(seen.fetchStatus, 403, `fetch without the key: ${JSON.stringify(seen)}`);
  }],
  ["a sandboxed (opaque origin) sub-frame is refused", async () => {
    const seen = await frameReport({ src: "frame.html", sandbox: "allow-scripts" });
    assertEq(seen.internals, false, "internals in the frame");
    // Its raw post was made (and must not run `record`: Rust counts the calls).
    assertEq(seen.posted, true, "raw postMessage attempted");
    // Cross-origin from an opaque origin: the POST dies at the CORS preflight,
    // or is refused by the core; it never succeeds.
    assert(seen.fetchStatus !== 200, `fetch: ${JSON.stringify(seen)}`);
  }],
  ["assets: MIME types, CSP, 404", async () => {
    const html = await fetch("/index.html");
    assertEq(html.headers.get("content-type"), "text/html; charset=utf-8", "html type");
    assert((html.headers.get("content-security-policy") || "").includes("default-src 'self'"), "CSP header");
    assertEq((await fetch("/main.js")).headers.get("content-type"), "text/javascript; charset=utf-8", "js type");
    assertEq((await fetch("/nope.html")).status, 404, "missing file");
    assertEq((await fetch("/")).status, 200, "index fallback");
  }],
  ["every response of the app's scheme carries the CSP (wave 1: only HTML did)", async () => {
    // A same-origin text file or 404 page loaded in a frame is a realm of its
    // own; without the policy, `eval` works there.
    for (const path of ["/main.js", "/nope.html", "/__portcullis__/api.js", "/__portcullis__/bindings.js", "/..%2fsecret.txt"]) {
      const response = await fetch(path);
      assert((response.headers.get("content-security-policy") || "").includes("default-src 'self'"), `${path} (HTTP ${response.status}) has no CSP`);
      assertEq(response.headers.get("x-content-type-options"), "nosniff", `${path} nosniff`);
    }
  }],
  ["a result's \"__proto__\" key stays a key, on both transports (wave 1: it became the prototype)", async () => {
    const value = JSON.parse('{"__proto__":{"polluted":true},"a":1}');
    for (const transport of ["message", "fetch"]) {
      const back = await invoke("echo", { value }, { transport });
      assertEq(Object.keys(back), ["__proto__", "a"], `${transport}: own keys`);
      assert(Object.getPrototypeOf(back) === Object.prototype, `${transport}: prototype untouched`);
      assertEq(back.polluted, undefined, `${transport}: nothing inherited`);
    }
  }],
  ["path traversal reaches nothing outside the assets", async () => {
    assertEq((await fetch("/harness.js")).status, 200, "a file inside the assets");
    const outcomes = {};
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt",
      "/.%2e/secret.txt", "/%2e%2e%5csecret.txt", "/..%5csecret.txt", "//secret.txt", "/dist/../../secret.txt"]) {
      try {
        const response = await fetch(path);
        const text = await response.text();
        assert(!text.includes("TOP-SECRET"), `${path} leaked the secret (HTTP ${response.status})`);
        outcomes[path] = response.status;
      } catch (err) {
        if (String(err.message).includes("leaked")) throw err;
        outcomes[path] = "load failed"; // refused before any response: nothing leaked either
      }
    }
    assert(Object.values(outcomes).some((o) => o === 403), `some attempt reached the server and was refused: ${JSON.stringify(outcomes)}`);
  }],
  ["a command opens another window", async () => {
    assertEq(await invoke("open_child"), "child", "opened");
  }],
]);
