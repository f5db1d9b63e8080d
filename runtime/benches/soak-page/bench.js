// Runs in the soak bench window: the same mixed loop until the core ends
// the run (it samples memory and exits the app).
import { invoke, listen, emit, Channel } from "/__portcullis__/api.js";

let ticks = 0;
await listen("tick", () => ticks++);
await invoke("start");

const text = "x".repeat(100);
const bytes = new Uint8Array(64 * 1024).fill(7);
for (let lap = 1; ; lap++) {
  for (let i = 0; i < 10; i++) {
    if ((await invoke("echo", { text })) !== text) throw new Error("echo");
  }
  const back = await invoke("bytes_echo", { data: bytes });
  if (back.length !== bytes.length) throw new Error("bytes_echo");
  await new Promise((done, fail) => {
    let left = 100;
    const out = new Channel(() => {
      if (--left === 0) done();
    });
    invoke("stream", { n: 100, out }).catch(fail);
  });
  await emit("lap", { n: lap });
}
