// The About window is matched by no capability: the core refuses whatever
// it asks. It shows that, as proof.
import { listTodos } from "./bindings.js";

const proof = document.querySelector("#proof");
try {
  await listTodos();
  proof.textContent = "This window could read the list: the capabilities are not working.";
} catch (err) {
  proof.textContent = `This window may call nothing: reading the list was refused (${err.code}).`;
  proof.dataset.code = err.code;
}
