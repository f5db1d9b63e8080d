// Drives the todo UI as a person would, then reports what the page shows.
// Injected by tests/ui.rs as a window initialization script.
window.addEventListener("DOMContentLoaded", async () => {
  const { invoke } = window.__PORTCULLIS_INTERNALS__;
  const problems = [];
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  async function until(ok, what) {
    for (let i = 0; i < 400; i++) { if (ok()) return; await sleep(25); }
    problems.push("timed out waiting for: " + what);
  }
  const $ = (s) => document.querySelector(s);
  const items = () => [...document.querySelectorAll("#list li")].map((li) => ({
    title: li.querySelector(".title").textContent, done: li.classList.contains("done") }));
  const row = (title) => [...document.querySelectorAll("#list li")].find((li) => li.querySelector(".title").textContent === title);
  async function add(title) {
    $("#title").value = title;
    $("#new").requestSubmit();
    await until(() => row(title.trim()), "todo " + title);
  }
  await until(() => document.body.dataset.ready === "1", "first render");
  await add("milk");
  await add("  eggs  ");
  await add("bread");
  $("#title").value = "   ";
  $("#new").requestSubmit();
  await until(() => $("#error").textContent !== "", "an error for an empty title");
  const emptyError = $("#error").textContent;
  // The isolation hook stops a title the core would also refuse.
  $("#title").value = "x".repeat(250);
  $("#new").requestSubmit();
  await until(() => $("#error").textContent.includes("too long"), "the hook's refusal");
  const hookError = $("#error").textContent;
  row("milk").querySelector(".toggle").click();
  await until(() => row("milk").classList.contains("done"), "milk done");
  row("eggs").querySelector(".delete").click();
  await until(() => !row("eggs"), "eggs deleted");
  await invoke("ui_report", { items: items(), emptyError, hookError, count: $("#count").textContent, problems });
});
