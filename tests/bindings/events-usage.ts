// Hand-written use of the generated event bindings (events.ts): what must
// compile, and misuse that must not (`@ts-expect-error` fails if it compiles).
import { events, type Progress, type TodoAdded } from "./events";

export async function ok(): Promise<void> {
  const unlisten = await events.todoAdded.listen((event) => {
    const title: string = event.payload.title;
    const id: number = event.payload.id;
    const due: number | null = event.payload.dueDate;
    const source: string | null = event.source;
    void [title, id, due, source];
  });
  unlisten();
  await events.syncProgress.once((event) => {
    const progress: Progress = event.payload;
    void progress;
  });
  // The argument form: `dueDate` may be left out.
  await events.todoAdded.emit({ id: 1, title: "x" });
  await events.todoAdded.emitTo("second", { id: 2, title: "y", dueDate: 3 });
  await events.ping.emit(null);
  const added: TodoAdded = { id: 1, title: "x", dueDate: null };
  void added;
}

export async function misuse(): Promise<void> {
  // @ts-expect-error the payload's fields are typed
  await events.todoAdded.emit({ id: "1", title: "x" });
  // @ts-expect-error a required field is missing
  await events.todoAdded.emit({ id: 1 });
  // @ts-expect-error no such event
  await events.todoRemoved.listen(() => {});
  await events.syncProgress.listen((event) => {
    // @ts-expect-error no such field
    void event.payload.percent;
  });
  // @ts-expect-error emitTo needs the window label
  await events.syncProgress.emitTo({ done: 1, total: 2 });
}
