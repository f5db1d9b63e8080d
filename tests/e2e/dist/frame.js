// Runs inside a sub-frame: tries to reach the core without the key.
(async () => {
  const seen = { internals: typeof window.__PORTCULLIS_INTERNALS__ !== "undefined" };
  try {
    window.webkit.messageHandlers.ipc.postMessage("not-the-key\n1\nrecord\n{}");
    seen.posted = true;
  } catch (err) {
    seen.posted = String(err);
  }
  const meta = new TextEncoder().encode(JSON.stringify({ cmd: "record", json: 2, bins: [] }));
  const body = new Uint8Array(4 + meta.length + 2);
  new DataView(body.buffer).setUint32(0, meta.length, true);
  body.set(meta, 4);
  body.set(new TextEncoder().encode("{}"), 4 + meta.length);
  try {
    const response = await fetch("/__portcullis__/ipc", {
      method: "POST",
      headers: { "X-Portcullis-Key": "not-the-key" },
      body,
    });
    seen.fetchStatus = response.status;
  } catch (err) {
    seen.fetchStatus = `network error: ${err}`;
  }
  window.parent.postMessage(seen, "*");
})();
