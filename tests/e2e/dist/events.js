// Events both ways, from the main events window. ev-second checks what it
// receives from here; the core checks what its listener got.
import { invoke, listen, once, emit, emitTo } from "/__portcullis__/api.js";
import { run, assert, assertEq, rejection, until } from "./harness.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

await run([
  ["core to page: every event arrives, in order, before the reply of the command that emitted it", async () => {
    const got = [];
    const stop = await listen("progress", (e) => got.push([e.name, e.payload.done, e.payload.total, e.source]));
    await invoke("emit_progress", { total: 5 });
    assertEq(got, [1, 2, 3, 4, 5].map((n) => ["progress", n, 5, null]), "progress events");
    stop();
  }],
  ["core to one window: emit_to reaches that window's page only", async () => {
    const got = [];
    const stop = await listen("progress", (e) => got.push(e.payload.total));
    await invoke("emit_progress_to", { window: "ev-second", total: 7 });
    // Had the event for ev-second come here too, it would come before this one.
    await invoke("emit_progress_to", { window: "ev-main", total: 9 });
    assertEq(got, [9], "progress events seen here");
    stop();
  }],
  ["4 threads emit 2,500 events each at once: none missing, none reordered, all before the reply", async () => {
    const last = [-1, -1, -1, -1];
    let count = 0;
    let disorder = null;
    const stop = await listen("seq", (e) => {
      const { thread, n } = e.payload;
      if (n !== last[thread] + 1 && disorder === null) disorder = `thread ${thread}: ${n} after ${last[thread]}`;
      last[thread] = n;
      count++;
    });
    const total = await invoke("emit_burst", { threads: 4, perThread: 2500 });
    assertEq(total, 10000, "emitted");
    assertEq(count, 10000, "received when the reply came");
    assert(disorder === null, disorder);
    assertEq(last, [2499, 2499, 2499, 2499], "last of each thread");
    stop();
  }],
  ["page to core: a typed event reaches the core's listener and every page, with its source", async () => {
    // A page's event is relayed to the pages listening now (only the core's
    // own emits are held for a page not yet listening): wait for ev-second.
    const [names] = await until(() => invoke("subscriptions", { window: "ev-second" }), ([n]) => n >= 2);
    assertEq(names, 2, "ev-second's listeners");
    const got = [];
    const stop = await listen("todo-added", (e) => got.push([e.payload, e.source]));
    assertEq(await emit("todo-added", { id: 1, title: "first", extra: "dropped" }), undefined, "emit resolves");
    await until(async () => got.length, (n) => n >= 1);
    assertEq(got, [[{ id: 1, title: "first" }, "ev-main"]], "relayed to this page as the type keeps it");
    const core = await until(() => invoke("core_received"), (r) => r.length >= 1);
    assertEq(core[0], ["ev-main", 1, "first"], "the core's listener");
    stop();
  }],
  ["emitTo: the named window's page only (and the core)", async () => {
    const todos = [];
    const progress = [];
    const stopTodos = await listen("todo-added", (e) => todos.push(e.payload.id));
    const stopProgress = await listen("progress", (e) => progress.push(e.payload.total));
    await emitTo("ev-second", "todo-added", { id: 2, title: "for second" });
    await invoke("emit_progress_to", { window: "ev-main", total: 11 });
    await until(async () => progress.length, (n) => n >= 1);
    assertEq(todos, [], "todo-added seen here");
    await until(() => invoke("core_received"), (r) => r.length >= 2);
    stopTodos();
    stopProgress();
  }],
  ["an unknown event is refused, to emit and to listen", async () => {
    const err = await rejection(emit("no-such-event", 1));
    assertEq([err.name, err.code, err.command], ["IpcError", "unknown_event", "no-such-event"], "emit");
    const err2 = await rejection(listen("no-such-event", () => {}));
    assertEq(err2.code, "unknown_event", "listen");
    const err3 = await rejection(emit("not a name", 1));
    assertEq(err3.code, "unknown_event", "bad name");
    assertEq(window.__PORTCULLIS_INTERNALS__.listenerCount(), 0, "no listener left behind");
  }],
  ["a payload of the wrong type is refused with invalid_args naming the field", async () => {
    const err = await rejection(emit("todo-added", { id: "one", title: "x" }));
    assertEq([err.code, err.arg, err.command], ["invalid_args", "payload.id", "todo-added"], "the error");
    assert(err.message.includes("payload.id"), err.message);
    const err2 = await rejection(emit("todo-added", { id: 3 }));
    assertEq([err2.code, err2.arg], ["invalid_args", "payload"], "missing field");
    const err3 = await rejection(emitTo("no-such-window", "todo-added", { id: 4, title: "x" }));
    assertEq(err3.code, "invalid_args", "unknown target window");
  }],
  ["a 1 MiB event arrives whole (fetched, not evaluated), and the next one after it", async () => {
    const got = [];
    const stop = await listen("blob", (e) => got.push(e.payload.value));
    await invoke("emit_big_blob", { len: 1 << 20 });
    await invoke("emit_blob", { value: "small" });
    await until(async () => got.length, (n) => n >= 2);
    assertEq(got.length, 2, "events");
    assertEq(got[0].length, 1 << 20, "big payload length");
    assertEq(got[0].slice(0, 30), "abcdefghijklmnopqrstuvwxyzabcd", "big payload start");
    assertEq(got[1], "small", "order kept behind the fetch");
    stop();
  }],
  ["a \"__proto__\" key in a payload stays a key", async () => {
    const got = [];
    const stop = await listen("blob", (e) => got.push(e.payload.value));
    await invoke("emit_blob", { value: JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') });
    await until(async () => got.length, (n) => n >= 1);
    assert(Object.prototype.hasOwnProperty.call(got[0], "__proto__"), "own key");
    assertEq(({}).polluted, undefined, "Object.prototype");
    assertEq(got[0].polluted, undefined, "not the prototype");
    stop();
  }],
  ["once: the next event only", async () => {
    const got = [];
    await once("progress", (e) => got.push(e.payload.total));
    await invoke("emit_progress_to", { window: "ev-main", total: 1 });
    await invoke("emit_progress_to", { window: "ev-main", total: 2 });
    await sleep(50);
    assertEq(got, [1], "once");
  }],
  ["an event sent to a window before its page existed is delivered once it listens, once", async () => {
    await invoke("open_late");
  }],
]);
