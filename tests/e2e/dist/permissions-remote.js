// A page of app://evil, which a remote capability names: it may call
// remote_ok and report, nothing else, and only by the message transport.
import { run, assert, assertEq, rejection } from "./harness.js";

const internals = window.__PORTCULLIS_INTERNALS__;

await run([
  ["a remote page a capability names gets IPC, for what it grants", async () => {
    assertEq(window.location.host, "evil", "this page's origin");
    assertEq(await internals.invoke("remote_ok"), "remote's", "remote_ok");
  }],
  ["everything else is forbidden", async () => {
    for (const cmd of ["mine_main", "admin_only"]) {
      const err = await rejection(internals.invoke(cmd));
      assertEq([err.code, err.command], ["forbidden", cmd], cmd);
      assert(err.message.includes("app://evil"), err.message);
    }
    const err = await rejection(internals.emit("main-event", { n: 1 }));
    assertEq(err.code, "forbidden", "emit");
  }],
  ["a remote page has no fetch transport (binary, forced fetch)", async () => {
    const err = await rejection(internals.invoke("remote_ok", { data: new Uint8Array([1]) }));
    assertEq(err.code, "forbidden", "binary");
    const err2 = await rejection(internals.invoke("remote_ok", {}, { transport: "fetch" }));
    assertEq(err2.code, "forbidden", "fetch");
  }],
]);
