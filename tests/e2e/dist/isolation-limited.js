// With isolation on, a window whose capability grants only `greet` (and
// `report`): the hook passes everything; the gate refuses the rest.
import { invoke, emit } from "/__portcullis__/api.js";
import { run, assertEq, rejection } from "./harness.js";

await run([
  ["a granted command works through the isolation frame", async () => {
    assertEq(await invoke("greet", { name: "Ada" }), "Hello, Ada!", "greet");
  }],
  ["what the capability does not grant is forbidden after the hook let it through", async () => {
    const err = await rejection(invoke("counted"));
    assertEq([err.code, err.command], ["forbidden", "counted"], "invoke");
    const err2 = await rejection(invoke("counted", { data: new Uint8Array([1]) }));
    assertEq(err2.code, "forbidden", "by fetch");
    const err3 = await rejection(emit("note", { text: "from limited" }));
    assertEq(err3.code, "forbidden", "emit");
  }],
]);
