// A second window on the list that never changes it: what it shows comes
// only from the `todos-changed` events of the changes made in the main
// window. Injected by tests/ui.rs as this window's initialization script.
window.addEventListener("DOMContentLoaded", async () => {
  const { invoke } = window.__PORTCULLIS_INTERNALS__;
  const problems = [];
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const items = () => [...document.querySelectorAll("#list li")].map((li) => ({
    title: li.querySelector(".title").textContent, done: li.classList.contains("done") }));
  const settled = () => JSON.stringify(items()) === JSON.stringify([{ title: "milk", done: true }, { title: "bread", done: false }]);
  let i = 0;
  for (; i < 400 && !settled(); i++) await sleep(25);
  if (i === 400) problems.push("timed out waiting for the main window's changes");
  await invoke("watch_report", { items: items(), problems });
});
