// portcullis-api: the front end's typed API to a Portcullis core.
// A thin layer over the internals the runtime injects into every window.
// The runtime also serves this file at /__portcullis__/api.js for pages
// without a build step.

const internals = globalThis.__PORTCULLIS_INTERNALS__;

function notInPortcullis() {
  return new Error(
    "portcullis-api: not running in a Portcullis window (window.__PORTCULLIS_INTERNALS__ is missing)",
  );
}

/** The error every failed call rejects with (see index.d.ts). */
export const IpcError = internals ? internals.IpcError : class IpcError extends Error {};

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
