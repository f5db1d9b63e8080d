// The About window: the app's capabilities grant it nothing. Waits for its
// page to try, then reports what it showed (through the one command the
// test's own capability grants this window).
window.addEventListener("DOMContentLoaded", async () => {
  const { invoke } = window.__PORTCULLIS_INTERNALS__;
  let code = null;
  for (let i = 0; i < 400 && code === null; i++) {
    code = document.querySelector("#proof")?.dataset.code ?? null;
    if (code === null) await new Promise((r) => setTimeout(r, 25));
  }
  await invoke("about_report", { code: code ?? "no answer", text: document.querySelector("#proof").textContent });
});
