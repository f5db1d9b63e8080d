// A same-origin sub-frame of a window whose capability grants commands: it
// has no IPC of its own (the API is injected in the main frame only), and
// raw messages without the key are refused. Tells its parent what it saw.
const own = window.__PORTCULLIS_INTERNALS__ !== undefined;
// WebKitGTK gives sub-frames the native handler (not wry's `window.ipc`).
const post = (m) => window.webkit.messageHandlers.ipc.postMessage(m);
for (const body of ["1\ninvoke\nmine_main\n{}", "x\n1\ninvoke\nadmin_only\n{}", "garbage"]) {
  try {
    post(body);
  } catch (err) {
    // Refused at the source is as good.
  }
}
parent.postMessage({ subFrameHasApi: own }, "*");
