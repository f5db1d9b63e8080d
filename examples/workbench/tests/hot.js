// Hot reload, in a page served by Vite through the core (tests/hot.rs): with
// a job done and text typed, title.ts is edited on disk; the heading must
// change in place, with no page reload, the page's and the core's state
// intact. Runs before driver.js, which calls `__workbenchHot` mid-way.
{
  const loads = Number(sessionStorage.getItem("workbench-loads") ?? "0") + 1;
  sessionStorage.setItem("workbench-loads", String(loads));
  window.__workbenchHot = async (seen, problems, { until, $, invoke }) => {
    const port = window.__workbenchDevPort;
    const loadsBefore = sessionStorage.getItem("workbench-loads");
    $("#name").value = "kept";
    // The page's policy: the dev server's socket, and nothing else of it.
    const csp = (await fetch(location.href)).headers.get("content-security-policy") ?? "";
    seen.csp_socket = String(csp.includes(`connect-src 'self' ws://localhost:${port}`));
    try {
      await fetch(`http://localhost:${port}/index.html`);
      seen.dev_origin_fetch = "allowed";
    } catch {
      seen.dev_origin_fetch = "blocked";
    }
    seen.origin = location.origin;
    await invoke("edit_title", { text: "Workbench, edited live" });
    await until(() => $("#title").textContent === "Workbench, edited live", "the hot-reloaded heading");
    seen.hot_title = $("#title").textContent;
    seen.reloads = String(Number(sessionStorage.getItem("workbench-loads")) - Number(loadsBefore));
    seen.name_kept = $("#name").value;
    seen.jobs_kept = $("#jobs").value;
    seen.core_jobs = String(await invoke("jobs_done", {}));
  };
}
