// A page of another origin (app://evil) that the app allowed navigating to.
// It must get no IPC; it reports what it saw through an app page.
(async () => {
  const seen = { internals: typeof window.__PORTCULLIS_INTERNALS__ !== "undefined" };
  try {
    window.ipc.postMessage("guessed-key\n1\nrecord\n{}");
    seen.posted = true;
  } catch (err) {
    seen.posted = String(err);
  }
  const meta = new TextEncoder().encode(JSON.stringify({ cmd: "record", json: 2, bins: [] }));
  const body = new Uint8Array(4 + meta.length + 2);
  new DataView(body.buffer).setUint32(0, meta.length, true);
  body.set(meta, 4);
  body.set(new TextEncoder().encode("{}"), 4 + meta.length);
  for (const url of ["app://localhost/__portcullis__/ipc", "/__portcullis__/ipc"]) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "X-Portcullis-Key": "guessed-key" },
        body,
      });
      seen[url] = response.status;
    } catch (err) {
      seen[url] = "network error";
    }
  }
  location.href = "app://localhost/report.html#" + encodeURIComponent(JSON.stringify(seen));
})();
