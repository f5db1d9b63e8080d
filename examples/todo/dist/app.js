// The todo front end: plain ES modules, no build step. Calls the Rust
// commands through the bindings generated from them (bindings.js, typed by
// bindings.d.ts; regenerate with `cargo run -p todo --bin todo-bindings`).
import { Channel } from "/__portcullis__/api.js";
import {
  addTodo,
  deleteTodo,
  events,
  importSamples,
  isAddTodoError,
  isDeleteTodoError,
  isToggleTodoError,
  listTodos,
  openAbout,
  openWindow,
  toggleTodo,
} from "./bindings.js";

const form = document.querySelector("#new");
const input = document.querySelector("#title");
const list = document.querySelector("#list");
const error = document.querySelector("#error");
const count = document.querySelector("#count");

const messages = {
  empty_title: () => "A todo needs a title.",
  too_long: (data) => `Titles are at most ${data.max} characters.`,
  not_found: () => "That todo no longer exists.",
  storage: (data) => `Could not save: ${data.message}`,
};

function explain(err) {
  if (isAddTodoError(err) || isToggleTodoError(err) || isDeleteTodoError(err)) {
    return messages[err.data.kind](err.data);
  }
  return err.message;
}

async function run(action) {
  error.textContent = "";
  try {
    await action();
    render(await listTodos());
  } catch (err) {
    error.textContent = explain(err);
  }
}

function render(todos) {
  list.replaceChildren(
    ...todos.map((todo) => {
      const item = document.createElement("li");
      item.dataset.id = todo.id;
      item.classList.toggle("done", todo.done);
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = todo.done;
      box.className = "toggle";
      const title = document.createElement("span");
      title.className = "title";
      title.textContent = todo.title;
      const remove = document.createElement("button");
      remove.className = "delete";
      remove.title = "Delete";
      remove.textContent = "×";
      item.append(box, title, remove);
      return item;
    }),
  );
  const left = todos.filter((t) => !t.done).length;
  count.textContent = `${left} of ${todos.length} left`;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  run(async () => {
    await addTodo(input.value);
    input.value = "";
  });
});

list.addEventListener("click", (event) => {
  const id = Number(event.target.closest("li")?.dataset.id);
  if (event.target.matches(".toggle")) run(() => toggleTodo(id));
  if (event.target.matches(".delete")) run(() => deleteTodo(id));
});

document.querySelector("#another").addEventListener("click", () => run(() => openWindow()));
document.querySelector("#about").addEventListener("click", () => run(() => openAbout()));

// Import samples: a progress bar fed by a channel, and a Cancel button that
// aborts the call (the core drops the command; the samples added so far stay).
document.querySelector("#import").addEventListener("click", async () => {
  const box = document.querySelector("#import-progress");
  const bar = document.querySelector("#import-bar");
  const controller = new AbortController();
  document.querySelector("#cancel-import").onclick = () => controller.abort();
  bar.value = 0;
  box.hidden = false;
  const progress = new Channel((p) => {
    bar.max = p.total;
    bar.value = p.done;
  });
  error.textContent = "";
  try {
    await importSamples(progress, { signal: controller.signal });
  } catch (err) {
    if (err.code !== "cancelled") error.textContent = explain(err);
  } finally {
    box.hidden = true;
    progress.close();
  }
});

// A change made in any window (this one included) re-renders every window.
await events.todosChanged.listen((event) => render(event.payload.todos));
await run(async () => {});
document.body.dataset.ready = "1";
