import { invoke, IpcError, listen, emit, Channel } from "/__portcullis__/api.js";
import { run, assert, assertEq, rejection, untilStats as until, until as waitFor } from "./harness.js";
import { envelopes, postWithKey, sleep, frameAnswer } from "./attacker.js";

// The one legitimate `counted` call of this window (Rust checks the total).
// Both windows call it once, concurrently; Rust checks the total.
await invoke("counted");

await run([
  ["calls work through the isolation frame", async () => {
    assertEq(await invoke("greet", { name: "Ada" }), "Hello, Ada!", "greet");
  }],
  ["with warm_spell(ZERO), sync commands run on the blocking pool only", async () => {
    for (let i = 0; i < 10; i++) assertEq(await invoke("thread_name"), "portcullis-command", `call ${i}`);
  }],
  ["the hook's modification is what the command receives", async () => {
    assertEq(await invoke("shout", { text: "quiet" }), "QUIET", "shout");
  }],
  ["a hook that throws rejects the call; nothing reaches the core", async () => {
    const err = await rejection(invoke("reject_me", {}));
    assert(err instanceof IpcError, "an IpcError");
    assertEq([err.code, err.message, err.command], ["isolation_rejected", "rejected by the hook", "reject_me"], "error");
  }],
  ["a hook that never settles times out", async () => {
    const err = await rejection(invoke("hang", {}));
    assertEq([err.code, err.command], ["isolation_timeout", "hang"], "error");
  }],
  ["argument names that look like envelope fields work", async () => {
    const args = { payload: "p", nonce: "n", cmd: "c", contentType: "t", iv: "i" };
    assertEq(await invoke("odd_names", args), "p n c t i", "echo");
    assertEq(await invoke("only_payload", { payload: "alone" }), "alone", "payload alone");
  }],
  ["1000 concurrent invokes through isolation all resolve", async () => {
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => invoke("echo", { value: i })));
    results.forEach((value, i) => assertEq(value, i, `call ${i}`));
  }],
  ["arguments the frame cannot receive fail alone, not the calls sent with them", async () => {
    // Made in one task, these travel to the frame as one batch.
    const calls = [
      invoke("echo", { value: 1 }),
      invoke("echo", { value: () => 2 }),
      invoke("echo", { value: 3 }),
    ];
    const [first, bad, third] = await Promise.allSettled(calls);
    assertEq([first.value, third.value], [1, 3], "the cloneable calls");
    assertEq([bad.status, bad.reason && bad.reason.code], ["rejected", "invalid_args"], "the function argument");
  }],
  ["text of every size and script survives the frame's UTF-8 encoding", async () => {
    // One after another (the frame's buffer grows, then is reused), then
    // concurrently (encoded back to back into the same buffer).
    const texts = ["h\u00e9llo w\u00f6rld", "\u{1F600}".repeat(5000), "a".repeat(70000), "\u00fc", "\u4e2d\u6587".repeat(2000)];
    for (const text of texts) assertEq(await invoke("echo", { value: text }), text, `length ${text.length}`);
    const back = await Promise.all(texts.map((value) => invoke("echo", { value })));
    back.forEach((text, i) => assertEq(text, texts[i], `concurrent ${i}`));
  }],
  ["binary stays raw bytes through isolation, 1 MiB exact", async () => {
    const data = new Uint8Array(1 << 20);
    for (let i = 0; i < data.length; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
    const back = await invoke("bytes_echo", { data });
    assert(back instanceof Uint8Array, "a Uint8Array");
    assertEq(back.length, data.length, "length");
    for (let i = 0; i < data.length; i++) if (back[i] !== data[i]) throw new Error(`byte ${i} differs`);
  }],
  ["the main frame cannot read the isolation frame (DOM, globals)", async () => {
    const frame = document.querySelector("iframe[sandbox]");
    assert(frame !== null, "the isolation frame is in the page");
    for (const read of [() => frame.contentWindow.document, () => frame.contentWindow.__PORTCULLIS_ISOLATION_HOOK__, () => frame.contentDocument.body]) {
      let leaked;
      try {
        leaked = read();
      } catch (err) {
        leaked = undefined;
      }
      assert(leaked === undefined || leaked === null, `read something: ${leaked}`);
    }
  }],
  ["the isolation frame's own page holds no key (DOM, globals)", async () => {
    const seen = await invoke("probe_frame", {});
    assertEq([seen.keyTextInDom, seen.cryptoKeyGlobals, seen.window], [false, [], "main"], JSON.stringify(seen));
  }],
  ["forged replies and synthetic frame messages are ignored", async () => {
    const call = invoke("sleep_then", { ms: 300, tag: "real" });
    const frame = document.querySelector("iframe[sandbox]");
    for (let id = 1; id < 3000; id++) {
      window.__PORTCULLIS_INTERNALS__.reply("guessed", id, 0, "forged");
      window.dispatchEvent(new MessageEvent("message", { source: frame.contentWindow, data: { id, rejected: "forged" } }));
      window.dispatchEvent(new MessageEvent("message", { source: frame.contentWindow, data: { id, transport: "message", seq: 1, iv: new Uint8Array(12), ct: new ArrayBuffer(32) } }));
    }
    assertEq(await call, "real", "the real reply");
  }],
  ["with the stolen key: plaintext is refused", async () => {
    postWithKey("9001\ncounted\n{}");
    postWithKey("9002\n1\nAAAAAAAAAAAAAAAA\nnot base64!");
    postWithKey("garbage");
    await sleep(200);
  }],
  ["with the stolen key: a replayed envelope is refused", async () => {
    await invoke("counted_probe");
    const captured = envelopes().at(-1);
    postWithKey(captured);
    postWithKey(captured);
    await sleep(200);
  }],
  ["with the stolen key: a flipped bit or another call id is refused", async () => {
    await invoke("counted_probe");
    const [id, seq, iv, ct] = envelopes().at(-1).split("\n");
    const bytes = Uint8Array.from(atob(ct), (c) => c.charCodeAt(0));
    bytes[0] ^= 1;
    postWithKey([id, seq, iv, btoa(String.fromCharCode(...bytes))].join("\n"));
    postWithKey([Number(id) + 1, seq, iv, ct].join("\n"));
    postWithKey([id, Number(seq) + 1, iv, ct].join("\n"));
    await sleep(200);
  }],
  ["with the stolen key: a huge envelope is refused, and the app goes on", async () => {
    postWithKey("7\n1\nAAAAAAAAAAAAAAAA\n" + "A".repeat(8 << 20));
    const response = await fetch("/__portcullis__/ipc", {
      method: "POST",
      headers: { "X-Portcullis-Key": window.__PORTCULLIS_TEST__.key, "X-Portcullis-Envelope": "8 1 AAAAAAAAAAAAAAAA" },
      body: new Uint8Array(6 << 20),
    });
    assertEq([response.status, (await response.json()).code], [413, "payload_too_large"], "fetch");
    assertEq(await invoke("greet", { name: "after" }), "Hello, after!", "still answering");
  }],
  ["an envelope handed to the second window", async () => {
    await invoke("counted_probe");
    await invoke("stash", { envelope: envelopes().at(-1) });
  }],
  ["wave 1's hook bypass: a name that smuggles a frame never reaches the hook or the core", async () => {
    // Posted straight to the frame, as a page script can. The name is a
    // whole frame naming `counted_switch` (the old attack's payload).
    const inner = JSON.stringify({ kind: "invoke", cmd: "counted_switch", json: 2, bins: [] });
    const smuggled = String.fromCharCode(inner.length, 0, 0, 0) + inner + "{}";
    const answer = await frameAnswer({ id: 4242424241, kind: "invoke", cmd: smuggled, text: "{}", bins: [] });
    assert(typeof answer.rejected === "string" && answer.rejected.includes("not a valid command name"), JSON.stringify(answer));
  }],
  ["wave 1's hook bypass: an envelope withheld from the message transport does not open on fetch", async () => {
    const sealed = await frameAnswer({ id: 4242424242, kind: "invoke", cmd: "counted_switch", text: "{}", bins: [] });
    assertEq(sealed.transport, "message", "the frame sealed it for the message transport");
    const response = await fetch("/__portcullis__/ipc", {
      method: "POST",
      headers: { "X-Portcullis-Key": window.__PORTCULLIS_TEST__.key, "X-Portcullis-Envelope": `4242424242 ${sealed.seq} ${btoa(String.fromCharCode(...sealed.iv))}` },
      body: new Uint8Array(sealed.ct),
    });
    assertEq([response.status, (await response.json()).code], [403, "isolation_invalid"], "refused");
  }],
  ["the hook sees the JSON the core gets: wrapper objects cannot slip past its checks", async () => {
    for (const args of [{ what: new String("danger") }, { confirm: new Boolean(true) }]) {
      const err = await rejection(invoke("guarded", args));
      assertEq([err.code, err.message], ["isolation_rejected", "guarded: refused by the hook"], "refused");
    }
    assertEq(await invoke("guarded", { what: "fine", confirm: false }), 1, "an allowed call runs");
  }],
  ["the hook is given { kind, cmd, args, window }, args parsed from the text that is sent", async () => {
    const seen = await invoke("hook_input", { text: new String("t"), data: new Uint8Array([1, 2]) });
    // Keys in the order serde_json's map gives them back: sorted.
    assertEq(seen, { dataIsBytes: true, keys: ["args", "capabilities", "cmd", "kind", "window"], kind: "invoke", plainObject: true, textType: "string", window: "main" }, "hook input");
  }],
  ["the isolation page is served only to the app's own script: other loads replace no session", async () => {
    for (const src of ["portcullis-isolation://localhost/", "portcullis-isolation://localhost/?key=guessed"]) {
      const frame = document.createElement("iframe");
      frame.setAttribute("sandbox", "allow-scripts");
      const loaded = new Promise((resolve) => {
        frame.onload = resolve;
        setTimeout(resolve, 2000);
      });
      frame.src = src;
      document.body.append(frame);
      await loaded;
      frame.remove();
    }
    assertEq(await invoke("greet", { name: "still" }), "Hello, still!", "the live session still works");
  }],
  ["abort through isolation: 100 calls reject at once, the cancels pass the hook, every future is dropped", async () => {
    const controller = new AbortController();
    const calls = Array.from({ length: 100 }, () => invoke("slow_iso", { tag: "abort", ms: 30000 }, { signal: controller.signal }));
    await until((s) => s.started.abort === 100);
    controller.abort();
    const outcomes = await Promise.allSettled(calls);
    assert(outcomes.every((o) => o.reason && o.reason.code === "cancelled"), "all cancelled");
    const after = await until((s) => s.drops.abort === 100);
    assertEq([after.drops.abort, after.afterAwait.abort || 0], [100, 0], "dropped");
  }],
  ["a binary call through isolation is cancelled too", async () => {
    const controller = new AbortController();
    const call = invoke("slow_iso_bytes", { ms: 30000, data: new Uint8Array(1 << 16) }, { signal: controller.signal });
    await until((s) => s.started["iso-bytes"] === 1);
    controller.abort();
    assertEq((await rejection(call)).code, "cancelled", "code");
    assertEq((await until((s) => s.drops["iso-bytes"] === 1)).drops["iso-bytes"], 1, "dropped");
  }],
  ["the hook decides about cancels: one it refuses leaves the command running", async () => {
    const controller = new AbortController();
    const call = invoke("uncancellable", { ms: 500 }, { signal: controller.signal });
    await until((s) => s.started.uncancellable === 1);
    controller.abort();
    assertEq((await rejection(call)).code, "cancelled", "the page's promise still rejects at once");
    const after = await until((s) => s.afterAwait.uncancellable === 1);
    assertEq(after.afterAwait.uncancellable, 1, "the command ran to the end");
  }],
  ["with the stolen key: a plaintext cancel is refused", async () => {
    const call = invoke("slow_iso", { tag: "forged-cancel", ms: 600 });
    // Nothing else is sent meanwhile: the last envelope is this call's.
    await sleep(150);
    const id = envelopes().at(-1).split("\n")[0];
    postWithKey(`${id}\ncancel\nslow_iso\n`);
    // The refusal settles the call with that id in this page (whoever holds
    // the key learns why); the command itself runs on (checked in Rust).
    const outcome = await call.then((value) => value, (err) => err.code);
    assert(outcome === "forged-cancel" || outcome === "isolation_required", `not cancelled: ${outcome}`);
  }],
  ["a cancel for another window's call does nothing", async () => {
    // The second window starts a slow call once this one is ready, and
    // stashes its id.
    await invoke("set_flag", { name: "main-ready" });
    let id = null;
    for (let i = 0; i < 2400 && id === null; i++) {
      id = await invoke("unstash_id");
      if (id === null) await sleep(25);
    }
    assert(typeof id === "number", "got the second window's call id");
    // Sealed by this window's frame, for this window: it reaches only this
    // window's calls, and there is none with that id.
    const answer = await frameAnswer({ id, kind: "cancel", cmd: "slow_iso", text: "", bins: [] });
    postWithKey([answer.id, answer.seq, btoa(String.fromCharCode(...answer.iv)), btoa(String.fromCharCode(...new Uint8Array(answer.ct)))].join("\n"));
    await invoke("set_flag", { name: "cancel-sent" });
  }],
  ["a fetch without an envelope is refused", async () => {
    const response = await fetch("/__portcullis__/ipc", {
      method: "POST",
      headers: { "X-Portcullis-Key": window.__PORTCULLIS_TEST__.key },
      body: new Uint8Array([1, 2, 3]),
    });
    assertEq(response.status, 403, "status");
    assertEq((await response.json()).code, "isolation_required", "code");
  }],
  ["events pass the hook: it rewrites an emit, the core and the pages get what it returned", async () => {
    const got = [];
    const stop = await listen("note", (e) => got.push([e.payload.text, e.source]));
    await emit("note", { text: "hi" });
    await waitFor(async () => got.length, (n) => n >= 1);
    assertEq(got, [["HI", "main"]], "relayed note");
    stop();
  }],
  ["the hook can refuse an emit: nothing reaches the core", async () => {
    const err = await rejection(emit("note", { text: "forbidden" }));
    assertEq(err.code, "isolation_rejected", "code");
  }],
  ["with the stolen key: a plaintext emit and a plaintext listen are refused", async () => {
    postWithKey('9101\nemit\nnote\n{"payload":{"text":"plain"}}');
    postWithKey("9102\nlisten\nnote\n{}");
    await sleep(200);
  }],
  ["with the stolen key: a replayed emit envelope is refused", async () => {
    await emit("note", { text: "once" });
    const captured = envelopes().at(-1);
    postWithKey(captured);
    postWithKey(captured);
    await sleep(200);
  }],
  ["channels through isolation: data flows, a forged plaintext close is refused, the real close (through the hook) stops it", async () => {
    let got = 0;
    const out = new Channel(() => got++);
    const call = invoke("iso_stream", { out });
    await waitFor(async () => got, (n) => n >= 5);
    // With the stolen key, a plaintext close and ack: refused, the stream goes on.
    postWithKey(`9201\nchannel-close\nchannel\n{"id":${out.id}}`);
    postWithKey(`9202\nchannel-ack\nchannel\n{"id":${out.id},"messages":1000000,"bytes":1000000}`);
    const before = got;
    await waitFor(async () => got, (n) => n >= before + 10);
    assert(got >= before + 10, `the stream stopped after a forged close (${before} -> ${got})`);
    out.close();
    const sent = await call;
    const settled = got;
    await sleep(100);
    assertEq(await invoke("streamed"), sent, "the command's own count");
    assert(sent >= settled, `sent ${sent}, got ${settled}`);
  }],
]);
