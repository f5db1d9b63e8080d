// What perm-main and perm-admin each check: their own command and event
// work on both transports, the other's are forbidden on both.
import { invoke, listen, emit } from "/__portcullis__/api.js";
import { run, assertEq, rejection } from "./harness.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function forbidden(promise, what) {
  const err = await rejection(promise);
  assertEq([err.code, err.command], ["forbidden", what], `${what} refused`);
}

export async function checks({ mine, theirs, mineEvent, theirEvent, reply }) {
  await run([
    ["its own command works, by message and by fetch", async () => {
      assertEq(await invoke(mine), reply, "message transport");
      assertEq(await invoke(mine, {}, { transport: "fetch" }), reply, "fetch transport");
    }],
    ["the other window's command is forbidden, by message and by fetch", async () => {
      await forbidden(invoke(theirs), theirs);
      await forbidden(invoke(theirs, {}, { transport: "fetch" }), theirs);
      await forbidden(invoke(theirs, { data: new Uint8Array([1, 2, 3]) }), theirs);
    }],
    ["a command that does not exist is forbidden too (no oracle of names)", async () => {
      await forbidden(invoke("no_such_command"), "no_such_command");
    }],
    ["its own event: listen and emit", async () => {
      const stop = await listen(mineEvent, () => {});
      await emit(mineEvent, { n: 1 });
      stop();
    }],
    ["the other window's event: listen and emit forbidden", async () => {
      await forbidden(listen(theirEvent, () => {}), theirEvent);
      await forbidden(emit(theirEvent, { n: 1 }), theirEvent);
      assertEq(window.__PORTCULLIS_INTERNALS__.listenerCount(), 0, "no listener left");
    }],
    ["a sub-frame gets no IPC of its own, whatever the window may do", async () => {
      const seen = new Promise((resolve) => {
        window.addEventListener("message", (event) => {
          if (event.data && "subFrameHasApi" in event.data) resolve(event.data.subFrameHasApi);
        });
      });
      const frame = document.createElement("iframe");
      frame.src = "permissions-frame.html";
      document.body.appendChild(frame);
      assertEq(await seen, false, "the sub-frame's own API");
    }],
    ["the windows with no capability had their go", async () => {
      await sleep(300);
    }],
  ]);
}
