// Unit tests of the injected internals script, run in a node `vm` sandbox with
// a fake web view: the real file, with a real config substituted, as the
// runtime injects it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

// The runtime owns the injected scripts (runtime/js/); this package's tests
// run them. Assembled as the runtime assembles it: the wire helpers spliced in.
const JS = new URL("../../runtime/js/", import.meta.url);
const SOURCE = readFileSync(new URL("internals.js", JS), "utf8").replace(
  "/*__PORTCULLIS_WIRE__*/",
  readFileSync(new URL("wire.js", JS), "utf8"),
);
// The core's wire constants, as it hands them to the script (wire.json is
// generated from runtime/src/wire.rs and checked current by its unit test).
const WIRE = JSON.parse(readFileSync(new URL("wire.json", JS), "utf8"));
const CONFIG = {
  key: "k3y",
  replyToken: "r3p",
  label: "main",
  origin: "app://localhost",
  wire: { ...WIRE, maxPostMessage: 1000 },
};
const KEY_HEADER = WIRE.keyHeader;
const REPLY_URL = CONFIG.origin + WIRE.replyPath;
const { ok: OK, err: ERR, binary: BINARY } = WIRE.reply;

/** All-zero "random" values: call ids start at 1, as the assertions expect. */
const ZERO_RANDOM = { getRandomValues: (array) => array.fill(0) };

/** A fake window; `fetch` answers with `respond(url, init)`. */
function load({ origin = "app://localhost", respond, crypto = ZERO_RANDOM } = {}) {
  const [protocol, host] = origin.split("//");
  const posted = [];
  const fetched = [];
  const window = {
    location: { protocol, host },
    ipc: { postMessage: (m) => posted.push(m) },
    fetch: async (url, init) => {
      fetched.push({ url, init });
      return respond ? respond(url, init) : new Response("null", { status: 200 });
    },
  };
  const reported = [];
  const sandbox = { reportError: (err) => reported.push(err), window, crypto, btoa, setTimeout, clearTimeout, Response, TextEncoder, Uint8Array, Uint32Array, ArrayBuffer, DataView, Promise, JSON, Error, RegExp, Object, String };
  vm.createContext(sandbox);
  vm.runInContext(SOURCE.replace("__PORTCULLIS_CONFIG__", JSON.stringify(CONFIG)), sandbox);
  return { internals: window.__PORTCULLIS_INTERNALS__, posted, fetched, window, reported };
}

test("a small call is one framed message, settled by its reply", async () => {
  const { internals, posted } = load();
  const call = internals.invoke("greet", { name: "Ada" });
  assert.deepEqual(posted, ['k3y\n1\ninvoke\ngreet\n{"name":"Ada"}']);
  internals.reply("r3p", 1, OK, "Hello, Ada!");
  assert.equal(await call, "Hello, Ada!");
});

test("no args is an empty payload", () => {
  const { internals, posted } = load();
  internals.invoke("ping");
  assert.deepEqual(posted, ["k3y\n1\ninvoke\nping\n"]);
});

test("errors reject with a real IpcError carrying the core's fields", async () => {
  const { internals } = load();
  const call = internals.invoke("add_todo", { title: "" });
  internals.reply("r3p", 1, ERR, { code: "command_error", message: "empty", command: "add_todo", arg: null, data: { kind: "empty" } });
  await assert.rejects(call, (err) => {
    assert.ok(err instanceof internals.IpcError);
    assert.ok(err instanceof Error || Object.prototype.toString.call(err) === "[object Error]");
    assert.equal(err.name, "IpcError");
    assert.equal(err.code, "command_error");
    assert.equal(err.command, "add_todo");
    assert.equal(err.arg, null);
    assert.deepEqual(err.data, { kind: "empty" });
    assert.equal(err.message, "empty");
    return true;
  });
});

test("each call is settled once; unknown and repeated replies are ignored", async () => {
  const { internals } = load();
  const a = internals.invoke("a", {});
  const b = internals.invoke("b", {});
  internals.reply("r3p", 2, OK, "b");
  internals.reply("r3p", 2, OK, "b again");
  internals.reply("r3p", 99, OK, "nobody");
  internals.reply("r3p", 1, OK, "a");
  assert.equal(await a, "a");
  assert.equal(await b, "b");
});

test("each page load numbers its calls from its own random start, below 2^53", () => {
  const firsts = Array.from({ length: 20 }, () => {
    const { internals, posted } = load({ crypto: globalThis.crypto });
    internals.invoke("a", {});
    internals.invoke("b", {});
    const [first, second] = posted.map((m) => Number(m.split("\n")[1]));
    assert.equal(second, first + 1);
    assert.ok(Number.isSafeInteger(first + 2 ** 32), `${first} leaves room for 2^32 calls`);
    return first;
  });
  // A page reloaded while a call runs must not reuse that call's id.
  assert.equal(new Set(firsts).size, firsts.length, "every load starts elsewhere");
  assert.ok(firsts.some((id) => id > 2 ** 40), "the high bits are random too");
});

test("replies without the core's reply token are ignored: pages cannot forge them", async () => {
  const { internals } = load();
  let settled = false;
  const call = internals.invoke("greet", { name: "Ada" }).then((v) => (settled = v));
  internals.reply("guessed", 1, OK, "forged");
  internals.reply(undefined, 1, ERR, { code: "panic", message: "forged" });
  // The IPC key is something a page script can observe; it is not the token.
  internals.reply("k3y", 1, OK, "forged with the key");
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(settled, false);
  internals.reply("r3p", 1, OK, "real");
  assert.equal(await call, "real");
});

test("a reply holding \"__proto__\" comes as text for JSON.parse: it stays a key", async () => {
  const { internals } = load();
  const call = internals.invoke("echo", {});
  internals.reply("r3p", 1, OK, '{"__proto__":{"polluted":true},"a":1}', 1);
  const value = await call;
  assert.deepEqual(Object.keys(value), ["__proto__", "a"]);
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.equal(value.polluted, undefined);
});

test("arguments that are not JSON reject before anything is sent", async () => {
  const { internals, posted } = load();
  await assert.rejects(internals.invoke("x", { n: 10n }), (err) => err.code === "invalid_args" && err.command === "x");
  for (const name of ["bad\nname", "", "9lives", "a b", "x".repeat(129), new String("greet"), 7]) {
    await assert.rejects(internals.invoke(name, {}), (err) => err.code === "unknown_command", String(name));
  }
  assert.deepEqual(posted, []);
});

async function frame(init) {
  const bytes = init.body;
  assert.ok(bytes instanceof Uint8Array, "the body is one Uint8Array");
  const metaLength = new DataView(bytes.buffer).getUint32(0, true);
  const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + metaLength)));
  const json = new TextDecoder().decode(bytes.subarray(4 + metaLength, 4 + metaLength + meta.json));
  let offset = 4 + metaLength + meta.json;
  const bins = meta.bins.map(([key, length]) => {
    const part = [key, Array.from(bytes.subarray(offset, offset + length))];
    offset += length;
    return part;
  });
  assert.equal(offset, bytes.length, "nothing after the last part");
  return { meta, json, bins };
}

test("binary arguments travel raw in one POST, with the key header", async () => {
  const { internals, posted, fetched } = load({
    respond: () => new Response(new Uint8Array([9, 8]), { headers: { "Content-Type": "application/octet-stream" } }),
  });
  const data = new Uint8Array([1, 2, 3]);
  const buffer = new Uint8Array([4, 5]).buffer;
  const view = new Uint8Array([0, 6, 7, 0]).subarray(1, 3);
  const result = await internals.invoke("upload", { name: "f", data, buffer, view });
  assert.deepEqual(Array.from(result), [9, 8]);
  assert.deepEqual(posted, []);
  assert.equal(fetched.length, 1);
  assert.equal(fetched[0].url, CONFIG.origin + WIRE.ipcPath);
  assert.equal(fetched[0].init.method, "POST");
  assert.equal(fetched[0].init.headers[KEY_HEADER], "k3y");
  const { meta, json, bins } = await frame(fetched[0].init);
  assert.deepEqual([meta.kind, meta.cmd], ["invoke", "upload"]);
  assert.equal(json, '{"name":"f"}');
  assert.deepEqual(bins, [["data", [1, 2, 3]], ["buffer", [4, 5]], ["view", [6, 7]]]);
});

test("a single binary argument is the body itself, the rest in a header", async () => {
  const { internals, fetched } = load({
    respond: () => new Response("3", { headers: { "Content-Type": "application/json" } }),
  });
  const data = new Uint8Array([0, 1, 2, 3, 4]).subarray(1, 4);
  assert.equal(await internals.invoke("len", { data, label: "ü" }), 3);
  const { init } = fetched[0];
  // A view of the caller's memory, not a copy.
  assert.equal(init.body.buffer, data.buffer);
  assert.deepEqual([init.body.byteOffset, init.body.byteLength], [data.byteOffset, data.byteLength]);
  assert.equal(init.headers[KEY_HEADER], "k3y");
  const call = JSON.parse(decodeURIComponent(init.headers[WIRE.callHeader]));
  assert.deepEqual(call, { kind: "invoke", cmd: "len", args: '{"label":"ü"}', bin: "data" });
  assert.match(init.headers[WIRE.callHeader], /^[\x21-\x7e]+$/, "an ASCII header value");
});

test("large JSON and forced fetch go by POST; error statuses reject", async () => {
  const { internals, fetched } = load({
    respond: () =>
      new Response(JSON.stringify({ code: "payload_too_large", message: "too big", command: "big" }), {
        status: 413,
        headers: { "Content-Type": "application/json" },
      }),
  });
  await assert.rejects(internals.invoke("big", { s: "x".repeat(2000) }), (err) => err.code === "payload_too_large");
  await assert.rejects(internals.invoke("small", {}, { transport: "fetch" }), (err) => err.message === "too big");
  assert.equal(fetched.length, 2);
  const { json } = await frame(fetched[0].init);
  assert.equal(json.length, 2008);
});

test("a binary reply to a message call is fetched by id", async () => {
  const { internals, fetched } = load({
    respond: () => new Response(new Uint8Array([1, 2, 3]), { headers: { "Content-Type": "application/octet-stream" } }),
  });
  const call = internals.invoke("download", {});
  internals.reply("r3p", 1, BINARY, null, 0);
  assert.deepEqual(Array.from(await call), [1, 2, 3]);
  assert.equal(fetched[0].url, REPLY_URL + "1");
  assert.equal(fetched[0].init.headers[KEY_HEADER], "k3y");
});

test("nothing is installed on a page from another origin", () => {
  const { internals } = load({ origin: "https://evil.example" });
  assert.equal(internals, undefined);
});

test("the internals object cannot be replaced by page scripts", () => {
  const { window, internals } = load();
  assert.throws(() => {
    window.__PORTCULLIS_INTERNALS__ = { invoke: () => "hijacked" };
  }, TypeError);
  assert.throws(() => Object.defineProperty(window, "__PORTCULLIS_INTERNALS__", { value: {} }), TypeError);
  assert.equal(window.__PORTCULLIS_INTERNALS__, internals);
  assert.ok(Object.isFrozen(internals));
});

test("base64 of the wire helpers matches Node's, natively and by the fallback loop", () => {
  const wire = readFileSync(new URL("wire.js", JS), "utf8");
  const encoderIn = (nativeToBase64) => {
    // A Uint8Array class of the sandbox's own, with or without `toBase64`.
    const sandbox = { btoa, TextEncoder, DataView, JSON };
    vm.createContext(sandbox);
    vm.runInContext(
      `${nativeToBase64 ? "Uint8Array.prototype.toBase64 = function () { return toBase64Host(this); };" : "delete Uint8Array.prototype.toBase64;"}
       ${wire}
       globalThis.encode = (array) => base64(new Uint8Array(array));`,
      Object.assign(sandbox, { toBase64Host: (bytes) => Buffer.from(bytes).toString("base64") }),
    );
    return sandbox.encode;
  };
  const native = encoderIn(true);
  const loop = encoderIn(false);
  // Lengths around the loop's 32 KiB chunk and base64's 3-byte groups.
  for (const length of [0, 1, 2, 3, 4, 0x8000 - 1, 0x8000, 0x8000 + 1, 100_000]) {
    const bytes = Array.from({ length }, (_, i) => (i * 131 + 7) & 0xff);
    const expected = Buffer.from(bytes).toString("base64");
    assert.equal(loop(bytes), expected, `fallback, ${length} bytes`);
    assert.equal(native(bytes), expected, `native, ${length} bytes`);
  }
});

test("an already aborted signal rejects with cancelled and sends nothing", async () => {
  const { internals, posted, fetched } = load();
  const signal = AbortSignal.abort();
  await assert.rejects(internals.invoke("greet", {}, { signal }), (err) => err.code === "cancelled" && err.command === "greet");
  await assert.rejects(internals.invoke("up", { data: new Uint8Array(1) }, { signal }), (err) => err.code === "cancelled");
  assert.deepEqual([posted, fetched], [[], []]);
});

test("abort rejects at once, tells the core, and a late reply changes nothing", async () => {
  const { internals, posted } = load();
  const controller = new AbortController();
  const call = internals.invoke("search", { q: "x" }, { signal: controller.signal });
  controller.abort();
  await assert.rejects(call, (err) => err.code === "cancelled" && err.command === "search");
  assert.deepEqual(posted, ['k3y\n1\ninvoke\nsearch\n{"q":"x"}', "k3y\n1\ncancel\nsearch\n"]);
  internals.reply("r3p", 1, OK, "late");
  controller.abort();
  assert.equal(posted.length, 2, "aborting again sends nothing");
});

test("aborting after the reply does nothing, and no listener is left on the signal", async () => {
  const { getEventListeners } = await import("node:events");
  const { internals, posted } = load();
  const controller = new AbortController();
  const call = internals.invoke("greet", {}, { signal: controller.signal });
  assert.equal(getEventListeners(controller.signal, "abort").length, 1);
  internals.reply("r3p", 1, OK, "hi");
  assert.equal(await call, "hi");
  assert.equal(getEventListeners(controller.signal, "abort").length, 0, "removed when settled");
  controller.abort();
  assert.equal(posted.length, 1);
});

test("a fetch call carries its id, and aborting it aborts the request and tells the core", async () => {
  const { internals, posted, fetched } = load({
    respond: (url, init) =>
      new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")))),
  });
  const controller = new AbortController();
  const call = internals.invoke("upload", { data: new Uint8Array([1, 2]) }, { signal: controller.signal });
  assert.equal(fetched[0].init.headers[WIRE.idHeader], "1");
  assert.equal(fetched[0].init.signal, controller.signal);
  controller.abort();
  await assert.rejects(call, (err) => err.code === "cancelled");
  assert.deepEqual(posted, ["k3y\n1\ncancel\nupload\n"]);
});

// ---- events ----

/** Lets queued promise jobs (the registration exchange) run. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test("listen registers once per name with the core, after which events reach every listener in order", async () => {
  const { internals, posted } = load();
  const seen = [];
  const first = internals.listen("todo-added", (e) => seen.push(["a", e.payload, e.source]));
  const second = internals.listen("todo-added", (e) => seen.push(["b", e.payload.id]));
  await tick();
  // One exchange in flight for the name, whatever the number of listeners.
  assert.deepEqual(posted, ["k3y\n1\nlisten\ntodo-added\n{}"]);
  internals.reply("r3p", 1, OK, null);
  const [stopA, stopB] = await Promise.all([first, second]);
  assert.equal(posted.length, 1);
  assert.equal(internals.listenerCount(), 2);
  internals.events("r3p", [["todo-added", { id: 1 }, null, 0], ["other", 1, null, 0], ["todo-added", '{"id":2}', "second", 1]]);
  assert.deepEqual(seen, [["a", { id: 1 }, null], ["b", 1], ["a", { id: 2 }, "second"], ["b", 2]]);
  // A forged call (no token) is ignored.
  internals.events("nope", [["todo-added", { id: 3 }, null, 0]]);
  assert.equal(seen.length, 4);
  stopA();
  assert.equal(posted.length, 1, "one listener left: the core is not told");
  stopB();
  stopB();
  await tick();
  assert.deepEqual(posted.slice(1), ["k3y\n2\nunlisten\ntodo-added\n{}"]);
  internals.reply("r3p", 2, OK, null);
  await tick();
  assert.equal(internals.listenerCount(), 0);
});

test("listen and unlisten never overlap for a name: the last wish wins", async () => {
  const { internals, posted } = load();
  const stop = internals.listen("tick", () => {});
  await tick();
  internals.reply("r3p", 1, OK, null);
  const unlisten = await stop;
  // Unlisten and listen again in one go: one wish, nothing to tell the core.
  unlisten();
  const kept = internals.listen("tick", () => {});
  await tick();
  await kept;
  assert.equal(posted.length, 1);
  (await kept)();
  unlisten();
  await tick();
  // Unlisten is in flight; listening again must wait for it, then re-listen.
  const again = internals.listen("tick", () => {});
  await tick();
  assert.deepEqual(posted.slice(1), ["k3y\n2\nunlisten\ntick\n{}"]);
  internals.reply("r3p", 2, OK, null);
  await tick();
  assert.deepEqual(posted.slice(2), ["k3y\n3\nlisten\ntick\n{}"]);
  internals.reply("r3p", 3, OK, null);
  await again;
  assert.equal(posted.length, 3);
});

test("a refused listen rejects and removes the listener", async () => {
  const { internals } = load();
  const listening = internals.listen("nope", () => {});
  await tick();
  internals.reply("r3p", 1, ERR, { code: "unknown_event", message: "no event named `nope`", command: "nope" });
  await assert.rejects(listening, (err) => err.code === "unknown_event");
  assert.equal(internals.listenerCount(), 0);
  await assert.rejects(internals.listen("not a name", () => {}), (err) => err.code === "unknown_event");
});

test("once runs one time; a throwing listener does not stop the others", async () => {
  const { internals, reported } = load();
  const seen = [];
  const once = internals.once("e", (event) => seen.push(event.payload));
  const throws = internals.listen("e", () => {
    throw new Error("listener bug");
  });
  await tick();
  internals.reply("r3p", 1, OK, null);
  await Promise.all([once, throws]);
  internals.events("r3p", [["e", 1, null, 0], ["e", 2, null, 0]]);
  assert.deepEqual(seen, [1]);
  assert.deepEqual(reported.map((err) => err.message), ["listener bug", "listener bug"]);
});

test("emit and emitTo send the payload (and target) as an emit message", async () => {
  const { internals, posted } = load();
  const sent = internals.emit("todo-added", { id: 1, title: "x" });
  const sentTo = internals.emitTo("second", "todo-added", { id: 2 });
  const bare = internals.emit("ping");
  assert.deepEqual(posted, [
    'k3y\n1\nemit\ntodo-added\n{"payload":{"id":1,"title":"x"}}',
    'k3y\n2\nemit\ntodo-added\n{"payload":{"id":2},"to":"second"}',
    'k3y\n3\nemit\nping\n{"payload":null}',
  ]);
  internals.reply("r3p", 1, OK, null);
  internals.reply("r3p", 2, ERR, { code: "invalid_args", message: "bad", command: "todo-added", arg: "payload.title" });
  internals.reply("r3p", 3, OK, null);
  assert.equal(await sent, undefined);
  await assert.rejects(sentTo, (err) => err.arg === "payload.title");
  await bare;
  await assert.rejects(internals.emit("bad name", 1), (err) => err.code === "unknown_event");
  assert.equal(posted.length, 3);
});

test("a large event is fetched, and the events after it wait for it", async () => {
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const { internals, fetched } = load({
    respond: async () => {
      await gate;
      return new Response('{"big":true}', { status: 200, headers: { "Content-Type": "application/octet-stream" } });
    },
  });
  const seen = [];
  const listening = internals.listen("e", (event) => seen.push(event.payload));
  await tick();
  internals.reply("r3p", 1, OK, null);
  await listening;
  internals.events("r3p", [["e", 1, null, 0], ["e", "1152921504606846976", null, 2], ["e", 3, null, 0], ["e", null, null, 3]]);
  internals.events("r3p", [["e", 4, null, 0]]);
  assert.deepEqual(seen, [1]);
  assert.equal(fetched[0].url, REPLY_URL + "1152921504606846976");
  assert.equal(fetched[0].init.headers[KEY_HEADER], "k3y");
  release();
  await tick();
  await tick();
  assert.deepEqual(seen, [1, { big: true }, 3, 4]);
  internals.events("r3p", [["e", 5, null, 0]]);
  assert.deepEqual(seen, [1, { big: true }, 3, 4, 5], "back to synchronous delivery");
});

// ---- channels ----

test("channel messages reach onmessage in order and are acknowledged cumulatively, once per batch", async () => {
  const { internals, posted } = load();
  const got = [];
  const channel = new internals.Channel((m) => got.push(m));
  assert.equal(JSON.stringify({ out: channel }), `{"out":{"__portcullisChannel":${channel.id}}}`);
  internals.channels("r3p", [[channel.id, 1, { n: 1 }, 0, 7], [channel.id, 2, '{"__proto__":1}', 1, 15], [999, 1, "x", 0, 3]]);
  assert.deepEqual(got[0], { n: 1 });
  assert.ok(Object.prototype.hasOwnProperty.call(got[1], "__proto__"));
  // Ids count up from the channel's own.
  assert.deepEqual(posted, [`k3y\n${channel.id + 1}\nchannel-ack\nchannel\n{"id":${channel.id},"messages":2,"bytes":22}`]);
  internals.channels("r3p", [[channel.id, 3, 3, 0, 1]]);
  assert.equal(posted.at(-1), `k3y\n${channel.id + 2}\nchannel-ack\nchannel\n{"id":${channel.id},"messages":3,"bytes":23}`);
  // A forged delivery (no token) is ignored.
  internals.channels("nope", [[channel.id, 4, "forged", 0, 6]]);
  assert.equal(got.length, 3);
});

test("the core's end runs onclose after the data; close() tells the core; nothing is left registered", async () => {
  const { internals, posted } = load();
  const base = internals.channelCount();
  const got = [];
  const ended = new internals.Channel((m) => got.push(m));
  let closes = 0;
  ended.onclose = () => closes++;
  internals.channels("r3p", [[ended.id, 1, "a", 0, 3], [ended.id, 0, null, 5, 0]]);
  assert.deepEqual(got, ["a"]);
  assert.equal(closes, 1);
  assert.equal(ended.closed, true);
  internals.channels("r3p", [[ended.id, 2, "late", 0, 6]]);
  assert.deepEqual(got, ["a"], "nothing after the end");
  const mine = new internals.Channel(() => got.push("never"));
  mine.close();
  mine.close();
  await tick();
  assert.equal(posted.filter((p) => p.includes("channel-close")).length, 1);
  assert.ok(posted.at(-1).endsWith(`channel-close\nchannel\n{"id":${mine.id}}`));
  internals.channels("r3p", [[mine.id, 1, "x", 0, 3]]);
  assert.equal(got.length, 1);
  assert.equal(internals.channelCount(), base);
});

test("a fetched message holds back its own channel only, and arrives as raw bytes", async () => {
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const { internals, fetched } = load({
    respond: async () => {
      await gate;
      return new Response(new Uint8Array([1, 2, 3]), { status: 200 });
    },
  });
  const big = [];
  const small = [];
  const a = new internals.Channel((m) => big.push(m));
  const b = new internals.Channel((m) => small.push(m));
  internals.channels("r3p", [[a.id, 1, "1152921504606846976", 4, 3], [a.id, 2, "after", 0, 7], [b.id, 1, "other", 0, 7]]);
  assert.deepEqual(small, ["other"], "another channel is not held up");
  assert.deepEqual(big, [], "this one waits for its fetch");
  assert.equal(fetched[0].url, REPLY_URL + "1152921504606846976");
  release();
  await tick();
  await tick();
  assert.ok(big[0] instanceof Uint8Array || Object.prototype.toString.call(big[0]) === "[object Uint8Array]");
  assert.deepEqual([...big[0]], [1, 2, 3]);
  assert.equal(big[1], "after");
});

test("a call that fails closes the channels passed to it", async () => {
  const { internals, posted } = load();
  const channel = new internals.Channel(() => {});
  const call = internals.invoke("stream", { out: channel });
  internals.reply("r3p", channel.id + 1, ERR, { code: "forbidden", message: "no", command: "stream" });
  await assert.rejects(call, (err) => err.code === "forbidden");
  assert.equal(channel.closed, true);
  assert.ok(posted.some((p) => p.includes("channel-close")));
});
