// Unit tests of the isolation frame's bootstrap (runtime/js/isolation.js), run
// in a node `vm` sandbox with real WebCrypto: what the hook is given, what it
// may return, and that the envelope it seals is bound to its transport.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const JS = new URL("../../runtime/js/", import.meta.url);
const SOURCE = readFileSync(new URL("isolation.js", JS), "utf8").replace(
  "/*__PORTCULLIS_WIRE__*/",
  readFileSync(new URL("wire.js", JS), "utf8"),
);
const WIRE = JSON.parse(readFileSync(new URL("wire.json", JS), "utf8"));
const KEY = new Uint8Array(32).fill(7);

/** Loads the frame with `hook`; returns `ask(request)`, resolving to the frame's answer. */
function frame(hook) {
  const listeners = [];
  const answers = [];
  const parent = { postMessage: (message) => answers.push(message) };
  const window = {
    parent,
    addEventListener: (type, listener) => listeners.push([type, listener]),
    __PORTCULLIS_ISOLATION_HOOK__: hook,
  };
  const sandbox = {
    window,
    document: { currentScript: { remove() {} } },
    crypto: globalThis.crypto,
    atob, btoa, TextEncoder, Uint8Array, ArrayBuffer, DataView, JSON, Promise, Error, RegExp, Object, Array, String,
  };
  vm.createContext(sandbox);
  const config = { key: Buffer.from(KEY).toString("base64"), label: "main", capabilities: ["main-window"], wire: WIRE };
  vm.runInContext(SOURCE.replace("__PORTCULLIS_ISOLATION_CONFIG__", JSON.stringify(config)), sandbox);
  const onMessage = listeners.find(([type]) => type === "message")[1];
  return async function ask(request) {
    onMessage({ source: parent, isTrusted: true, data: { batch: [request] } });
    for (let i = 0; i < 200 && !answers.some((a) => a.id === request.id); i++) await new Promise((r) => setTimeout(r, 1));
    return answers.find((a) => a.id === request.id);
  };
}

/** The page's side: the text the page sends for `args` (JSON, as invoke makes it). */
const text = (args) => JSON.stringify(args);

async function open(answer, transport) {
  const key = await crypto.subtle.importKey("raw", KEY, { name: "AES-GCM" }, false, ["decrypt"]);
  const aad = new TextEncoder().encode([WIRE.aadPrefix, "main", transport, answer.id, answer.seq].join("\0"));
  const plain = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: answer.iv, additionalData: aad }, key, answer.ct));
  const metaLength = new DataView(plain.buffer).getUint32(0, true);
  const meta = JSON.parse(new TextDecoder().decode(plain.subarray(4, 4 + metaLength)));
  const json = new TextDecoder().decode(plain.subarray(4 + metaLength, 4 + metaLength + meta.json));
  return { meta, json };
}

test("the hook gets { kind, cmd, args, window } with args parsed from the text that is sent", async () => {
  let seen;
  const ask = frame((message) => {
    seen = message;
    return message;
  });
  // The page turned new String("danger") into its JSON: the hook sees a primitive.
  const answer = await ask({ id: 1, kind: "invoke", cmd: "guarded", text: text({ what: new String("danger"), ok: new Boolean(true) }), bins: [["data", new Uint8Array([1, 2])]] });
  assert.deepEqual(Object.keys(seen).sort(), ["args", "capabilities", "cmd", "kind", "window"]);
  assert.equal(seen.kind, "invoke");
  assert.equal(seen.window, "main");
  // The names of the window's capabilities, which the hook cannot change.
  assert.deepEqual([...seen.capabilities], ["main-window"]);
  assert.ok(Object.isFrozen(seen.capabilities));
  assert.equal(typeof seen.args.what, "string");
  assert.equal(seen.args.ok, true);
  assert.ok(seen.args.data instanceof Uint8Array);
  assert.equal(answer.transport, "fetch", "binary arguments go by fetch");
});

test("what the hook returns is what is sealed, bound to the transport it goes by", async () => {
  const ask = frame((message) => ({ cmd: "shout", args: { text: message.args.text.toUpperCase() } }));
  const answer = await ask({ id: 7, kind: "invoke", cmd: "whisper", text: text({ text: "quiet" }), bins: [] });
  assert.equal(answer.transport, "message");
  const { meta, json } = await open(answer, "message");
  assert.deepEqual([meta.kind, meta.cmd, meta.bins], ["invoke", "shout", []]);
  assert.equal(json, '{"text":"QUIET"}');
  await assert.rejects(open(answer, "fetch"), "sealed for the message transport only");
});

test("names and kinds are checked in the frame: the page is not trusted", async () => {
  const ask = frame((message) => message);
  const smuggled = "\u0030\u0000\u0000\u0000" + JSON.stringify({ kind: "invoke", cmd: "counted", json: 2, bins: [] }) + "{}";
  for (const [request, why] of [
    [{ id: 1, kind: "invoke", cmd: smuggled, text: "{}", bins: [] }, "not a valid command name"],
    [{ id: 2, kind: "invoke", cmd: "a\nb", text: "{}", bins: [] }, "not a valid command name"],
    [{ id: 3, kind: "explode", cmd: "greet", text: "{}", bins: [] }, "unknown message kind"],
    [{ id: 4, kind: "invoke", cmd: "greet", text: "{not json", bins: [] }, "JSON"],
    [{ id: 5, kind: "invoke", cmd: "greet", text: "[1]", bins: [["b", new Uint8Array(1)]] }, "args object"],
  ]) {
    const answer = await ask(request);
    assert.ok(typeof answer.rejected === "string" && answer.rejected.includes(why), `${JSON.stringify(answer)} should say ${why}`);
  }
});

test("a hook cannot return an invalid name or change the kind", async () => {
  for (const [hook, why] of [
    [() => ({ cmd: "rm -rf", args: {} }), "valid command name"],
    [() => ({ cmd: "greet", kind: "emit", args: {} }), "kind"],
    [() => null, "must return the message"],
  ]) {
    const answer = await frame(hook)({ id: 9, kind: "invoke", cmd: "greet", text: "{}", bins: [] });
    assert.ok(answer.rejected.includes(why), `${answer.rejected} should say ${why}`);
  }
});

test("sequence numbers grow and large text goes by fetch", async () => {
  const ask = frame((message) => message);
  const a = await ask({ id: 1, kind: "invoke", cmd: "echo", text: text({ value: "é".repeat(10) }), bins: [] });
  const b = await ask({ id: 2, kind: "invoke", cmd: "echo", text: text({ value: "x".repeat(WIRE.maxPostMessage) }), bins: [] });
  assert.ok(b.seq > a.seq);
  assert.equal(b.transport, "fetch");
  assert.equal((await open(a, "message")).json, text({ value: "é".repeat(10) }));
  assert.equal((await open(b, "fetch")).json.length, WIRE.maxPostMessage + 12);
});
