// portcullis-api: the front end's typed API to a Portcullis core.
// A thin layer over the internals the runtime injects into every window.
// The runtime also serves this file at /__portcullis__/api.js for pages
// without a build step.

const internals = globalThis.__PORTCULLIS_INTERNALS__;

function notInPortcullis() {
  const where = globalThis.location ? ` (this page: ${globalThis.location.origin}${globalThis.top !== undefined && globalThis.top !== globalThis ? ", in a sub-frame" : ""})` : "";
  return new Error(
    `portcullis-api: this page has no IPC${where}. Portcullis gives it only to the top frame of the app's own pages ` +
      "(app://localhost, or http://app.localhost on Windows) and of origins a capability names " +
      "(Capability::remote, with .allow_navigation); sub-frames never get it. Outside a Portcullis window there is none at all.",
  );
}

/** The error every failed call rejects with (see index.d.ts). */
export const IpcError = internals ? internals.IpcError : class IpcError extends Error {};

/** A stream from a command to this page (see index.d.ts). */
export const Channel = internals
  ? internals.Channel
  : class Channel {
    constructor() {
      throw notInPortcullis();
    }
  };

/** Calls the Rust command `cmd` with `args` keyed by (camelCase) argument name. */
export function invoke(cmd, args, options) {
  if (!internals) return Promise.reject(notInPortcullis());
  return internals.invoke(cmd, args, options);
}

/** The label of the window this page runs in. */
export function currentWindowLabel() {
  if (!internals) throw notInPortcullis();
  return internals.label;
}

/**
 * Calls `handler({ name, payload, source })` for each event `name` this page
 * receives; resolves (once the core knows) to the function that stops it.
 */
export function listen(name, handler) {
  if (!internals) return Promise.reject(notInPortcullis());
  return internals.listen(name, handler);
}

/** Like `listen`, for the next event `name` only. */
export function once(name, handler) {
  if (!internals) return Promise.reject(notInPortcullis());
  return internals.once(name, handler);
}

/** Emits event `name` to the core's listeners and every window's page. */
export function emit(name, payload) {
  if (!internals) return Promise.reject(notInPortcullis());
  return internals.emit(name, payload);
}

/** Emits event `name` to the core's listeners and the page of window `label` only. */
export function emitTo(label, name, payload) {
  if (!internals) return Promise.reject(notInPortcullis());
  return internals.emitTo(label, name, payload);
}
