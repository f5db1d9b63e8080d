// Hand-written use of the generated bindings of a command with channels
// (channels.ts): what must compile, and misuse that must not.
import { Channel } from "portcullis-api";
import { download, type Progress } from "./channels";

export async function ok(): Promise<void> {
  const progress = new Channel<Progress>((p) => {
    const done: number = p.done;
    void done;
  });
  const out = new Channel<Uint8Array>((chunk) => void chunk.byteLength);
  out.onclose = () => {};
  const total: number = await download("https://x", progress, out, { signal: AbortSignal.timeout(1000) });
  out.close();
  void total;
}

export async function misuse(): Promise<void> {
  const text = new Channel<string>();
  const out = new Channel<Uint8Array>();
  // @ts-expect-error the channel carries Progress, not string
  await download("https://x", text, out);
  // @ts-expect-error a channel argument takes a Channel, not a callback
  await download("https://x", (p: Progress) => p, out);
}
