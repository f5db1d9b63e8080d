// The front end: calls the Rust commands through the bindings generated
// from them (./bindings.ts, rewritten by each debug start of the app).
import { click, greet, isGreetError } from "./bindings";

function element<T extends HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (found === null) throw new Error(`no ${selector} in the page`);
  return found;
}

const form = element<HTMLFormElement>("#greet");
const name = element<HTMLInputElement>("#name");
const greeting = element<HTMLParagraphElement>("#greeting");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    greeting.textContent = await greet(name.value);
  } catch (error) {
    // The command's own error arrives typed; anything else (a refusal by the
    // isolation hook, a bad argument) is an IpcError with a message.
    greeting.textContent =
      isGreetError(error) && error.data.kind === "empty_name"
        ? "Type a name first."
        : String(error instanceof Error ? error.message : error);
  }
});

element<HTMLButtonElement>("#click").addEventListener("click", async () => {
  element<HTMLSpanElement>("#clicks").textContent = String(await click());
});
