// Opened by ev-main, which emitted `hello` to this window right away: before
// this page existed. It is held and delivered once this page listens, once.
import { listen } from "/__portcullis__/api.js";
import { run, assertEq } from "./harness.js";

const got = [];
await new Promise((r) => setTimeout(r, 100));
await listen("hello", (e) => got.push(e.payload.text));

await run([
  ["held until the listener registered, then delivered once", async () => {
    await new Promise((r) => setTimeout(r, 200));
    assertEq(got, ["before you listened"], "hello events");
  }],
]);
