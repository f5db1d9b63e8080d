// Runs inside a sub-frame: tries to reach the core without the key.
(async () => {
  const seen = { internals: typeof window.__PORTCULLIS_INTERNALS__ !== "undefined" };
  seen.posted = forge.post((m) => window.webkit.messageHandlers.ipc.postMessage(m));
  seen.fetchStatus = await forge.fetchRecord("/__portcullis__/ipc");
  window.parent.postMessage(seen, "*");
})();
