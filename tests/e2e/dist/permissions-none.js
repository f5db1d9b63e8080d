// perm-none (an app page no capability names) and perm-stranger (a page of
// app://other, allowed for navigation, named by no capability) try
// everything. They cannot report: the core's counters prove nothing ran.
const internals = window.__PORTCULLIS_INTERNALS__;
const attempts = [];
if (internals !== undefined) {
  for (const cmd of ["mine_main", "admin_only", "remote_ok", "report"]) {
    attempts.push(internals.invoke(cmd, { window: "perm-none", results: [] }));
    attempts.push(internals.invoke(cmd, { window: "perm-none", results: [] }, { transport: "fetch" }));
  }
  attempts.push(internals.emit("main-event", { n: 9 }));
  attempts.push(internals.emit("admin-event", { n: 9 }));
  attempts.push(internals.listen("main-event", () => {}));
}
// No internals (another origin): raw messages and a forged fetch.
window.ipc.postMessage("1\ninvoke\nmine_main\n{}");
fetch("app://localhost/__portcullis__/ipc", { method: "POST", body: "x" }).catch(() => {});
await Promise.allSettled(attempts);
document.title = "tried";
