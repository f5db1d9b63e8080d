// Drives the sample import: starts it, watches the progress bar (fed by a
// channel) reach 3, presses Cancel, and reports what the page shows.
window.addEventListener("DOMContentLoaded", async () => {
  const { invoke } = window.__PORTCULLIS_INTERNALS__;
  const $ = (s) => document.querySelector(s);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const problems = [];
  async function until(ok, what) {
    for (let i = 0; i < 400; i++) {
      if (ok()) return;
      await sleep(25);
    }
    problems.push("timed out waiting for: " + what);
  }
  await until(() => document.body.dataset.ready === "1", "first render");
  $("#import").click();
  await until(() => !$("#import-progress").hidden, "the progress bar");
  await until(() => $("#import-bar").value >= 3, "progress 3");
  const progressAtCancel = $("#import-bar").value;
  $("#cancel-import").click();
  await until(() => $("#import-progress").hidden, "the bar to go");
  const shown = document.querySelectorAll("#list li").length;
  await invoke("import_report", { progressAtCancel, shown, error: $("#error").textContent, problems });
});
