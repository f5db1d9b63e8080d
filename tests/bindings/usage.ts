// Hand-written use of the generated command bindings (commands.ts): what must
// compile, and misuse that must not (`@ts-expect-error` fails if it compiles).
import { IpcError } from "portcullis-api";
import {
  delete_,
  download,
  echo,
  greet,
  isSaveError,
  isUploadError,
  optionalFirst,
  save,
  search,
  upload,
  type SaveError,
  type Todo,
  type TodoInput,
} from "./commands";

export async function ok(): Promise<void> {
  const greeting: string = await greet("Ada");
  const saved: Todo = await save({ title: greeting });
  const done: boolean = saved.done;
  const input: TodoInput = saved;
  await save(input, { transport: "fetch" });
  // Generated functions take invoke's options: cancellation included.
  const controller = new AbortController();
  await save(input, { signal: controller.signal });
  await search("milk", undefined, undefined, { signal: AbortSignal.timeout(5000) });
  const size: number = await upload("photo", new Uint8Array([1, 2]));
  await upload("photo", new ArrayBuffer(4));
  const bytes: Uint8Array = await download(size);
  const found: Todo[] = await search("milk");
  await search("milk", 10);
  await search("milk", null, "cursor");
  await optionalFirst(null, 2);
  const nothing: null = await delete_(1, true, "x");
  await echo({ any: ["json", 1, null] });
  try {
    await save({ title: "" });
  } catch (error) {
    if (isSaveError(error)) {
      const data: SaveError | null = error.data;
      if (data?.kind === "full") {
        const max: number = data.max;
        void max;
      }
    }
    if (isUploadError(error)) {
      const message: string | null = error.data;
      void message;
    }
    if (error instanceof IpcError) {
      void error.code;
    }
  }
  void [done, bytes, found, nothing];
}

export async function misuse(): Promise<void> {
  // @ts-expect-error a number is not a name
  await greet(1);
  // @ts-expect-error the title is required
  await save({ done: true });
  // @ts-expect-error results are Todo, not string
  const wrong: string = await save({ title: "t" });
  // @ts-expect-error bytes are a Uint8Array or ArrayBuffer, not a string
  await upload("photo", "data");
  // @ts-expect-error a download is bytes
  const text: string = await download(1);
  // @ts-expect-error an argument before a required one cannot be left out
  await optionalFirst(2);
  // @ts-expect-error no such command
  await greetAll();
  // @ts-expect-error `dueDate` is a number
  await save({ title: "t", dueDate: "tomorrow" });
  // @ts-expect-error the result form has no optional `done`
  const todo: Todo = { title: "t", dueDate: null };
  void [wrong, text, todo];
}
