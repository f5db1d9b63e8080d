// A page of another origin (app://evil) that the app allowed navigating to.
// It must get no IPC; it reports what it saw through an app page.
(async () => {
  const seen = { internals: typeof window.__PORTCULLIS_INTERNALS__ !== "undefined" };
  seen.posted = forge.post((m) => window.ipc.postMessage(m));
  for (const url of ["app://localhost/__portcullis__/ipc", "/__portcullis__/ipc"]) {
    seen[url] = await forge.fetchRecord(url);
  }
  location.href = "app://localhost/report.html#" + encodeURIComponent(JSON.stringify(seen));
})();
