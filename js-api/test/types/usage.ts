// Must type-check under `tsc --strict`; each @ts-expect-error line must fail.
import { invoke, IpcError, currentWindowLabel, type IpcErrorCode } from "../../index.js";

async function usage(): Promise<void> {
  const greeting: string = await invoke<string>("greet", { name: "Ada" });
  const bytes = await invoke<Uint8Array>("download", { data: new Uint8Array([1, 2]) }, { transport: "fetch" });
  const n: number = bytes.length;
  await invoke("ping");
  const label: string = currentWindowLabel();
  try {
    await invoke("add_todo", { title: "" });
  } catch (err) {
    if (err instanceof IpcError) {
      const code: IpcErrorCode = err.code;
      const command: string | null = err.command;
      const arg: string | null = err.arg;
      const message: string = err.message;
      void [code, command, arg, message];
    }
  }
  void [greeting, n, label];

  // @ts-expect-error the command name is a string
  await invoke(42);
  // @ts-expect-error args are an object keyed by argument name
  await invoke("greet", "Ada");
  // @ts-expect-error unknown transport
  await invoke("greet", {}, { transport: "carrier-pigeon" });
  const controller = new AbortController();
  await invoke("search", { query: "x" }, { signal: controller.signal });
  await invoke("export", {}, { signal: AbortSignal.timeout(5000) });
  const cancelledCode: IpcErrorCode = "cancelled";
  void cancelledCode;
  // @ts-expect-error a signal is an AbortSignal
  await invoke("search", {}, { signal: true });
  const typed = await invoke<number>("count");
  // @ts-expect-error the result is typed
  const wrong: string = typed;
  void wrong;
}
void usage;
