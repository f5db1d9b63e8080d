// Receives what ev-main sends: the core's emit_to and the page's relayed events.
import { listen, currentWindowLabel } from "/__portcullis__/api.js";
import { run, assert, assertEq, until } from "./harness.js";

const progress = [];
const todos = [];
await listen("progress", (e) => progress.push(e.payload.total));
await listen("todo-added", (e) => todos.push([e.payload.id, e.source]));

await run([
  ["the core's emit_to(ev-second) arrives here", async () => {
    await until(async () => progress, (p) => p.includes(7));
    assert(progress.includes(7), JSON.stringify(progress));
    assert(!progress.includes(9) && !progress.includes(11), `emits to ev-main came here: ${progress}`);
  }],
  ["ev-main's emit and emitTo(ev-second) arrive here, with their source", async () => {
    await until(async () => todos.length, (n) => n >= 2);
    assertEq(todos, [[1, "ev-main"], [2, "ev-main"]], "todo-added events");
    assertEq(currentWindowLabel(), "ev-second", "label");
  }],
]);
