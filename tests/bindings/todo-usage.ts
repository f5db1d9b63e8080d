// The todo demo's generated declarations (examples/todo/dist/bindings.d.ts),
// used as its front end uses them.
import { addTodo, isAddTodoError, listTodos, toggleTodo, type Todo } from "../../examples/todo/dist/bindings.js";

export async function demo(): Promise<void> {
  try {
    const todo: Todo = await addTodo("milk");
    const toggled: Todo = await toggleTodo(todo.id);
    const all: Todo[] = await listTodos();
    void [toggled, all];
  } catch (error) {
    if (isAddTodoError(error) && error.data?.kind === "too_long") {
      const max: number = error.data.max;
      void max;
    }
  }
  // @ts-expect-error ids are numbers
  await toggleTodo("1");
}
