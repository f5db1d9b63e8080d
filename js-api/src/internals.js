// Portcullis internals: the runtime injects this script into the main frame of
// every window, before any page script runs. The config placeholder below is
// replaced by this run's configuration. The npm package `portcullis-api` is a
// typed layer over the object it installs. Do not load it yourself.
(function () {
  "use strict";
  const config = __PORTCULLIS_CONFIG__;
  // Install nothing on pages the app did not serve (e.g. after a navigation the
  // app allowed): the key below must never be usable from another origin.
  if (window.location.protocol + "//" + window.location.host !== config.origin) return;

  const postMessage = window.ipc.postMessage.bind(window.ipc);
  const nativeFetch = window.fetch.bind(window);

  /** Why a call failed: the core's structured error as a real Error. */
  class IpcError extends Error {
    constructor(payload) {
      const p = payload !== null && typeof payload === "object" ? payload : { message: String(payload) };
      super(typeof p.message === "string" ? p.message : "invoke failed");
      this.name = "IpcError";
      this.code = typeof p.code === "string" ? p.code : "internal";
      this.command = typeof p.command === "string" ? p.command : null;
      this.arg = typeof p.arg === "string" ? p.arg : null;
      this.data = p.data === undefined ? null : p.data;
    }
  }

  /** Calls waiting for a reply through evaluate_script, by id. */
  const pending = new Map();
  let nextId = 1;

  function isBinary(value) {
    return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
  }

  function asBytes(value) {
    return value instanceof ArrayBuffer
      ? new Uint8Array(value)
      : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }

  function fail(code, message, command) {
    return Promise.reject(new IpcError({ code, message, command }));
  }

  /**
   * Calls a Rust command. Small JSON calls go through the web view's message
   * channel; calls with binary arguments (or large JSON) go as one raw HTTP
   * body to the app's own origin.
   */
  function invoke(cmd, args, options) {
    if (typeof cmd !== "string" || cmd === "" || cmd.includes("\n")) {
      return fail("unknown_command", "invoke: the command name must be a non-empty string without newlines", null);
    }
    const opts = options || {};
    let json = args;
    const bins = [];
    if (args !== null && typeof args === "object" && !Array.isArray(args) && !isBinary(args)) {
      for (const key of Object.keys(args)) {
        if (isBinary(args[key])) {
          if (json === args) json = Object.assign({}, args);
          delete json[key];
          bins.push([key, asBytes(args[key])]);
        }
      }
    }
    let text;
    try {
      text = args === undefined ? "" : JSON.stringify(json);
    } catch (err) {
      return fail("invalid_args", `invoke("${cmd}"): the arguments cannot be sent as JSON: ${err.message}`, cmd);
    }
    if (text === undefined) text = "";
    if (bins.length > 0 || opts.transport === "fetch" || text.length > config.maxPostMessage) {
      return viaFetch(cmd, text, bins);
    }
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, cmd });
      postMessage(config.key + "\n" + id + "\n" + cmd + "\n" + text);
    });
  }

  /** Largest X-Portcullis-Call header: far below WebKit's and libsoup's limits. */
  const MAX_CALL_HEADER = 8192;

  /**
   * One POST. With a single binary argument and small JSON, the body is that
   * argument's bytes as they are (no copy) and the rest goes in a header.
   * Otherwise: u32 LE meta length, meta JSON, args JSON, the raw binary args.
   */
  async function viaFetch(cmd, text, bins) {
    if (bins.length === 1) {
      const header = encodeURIComponent(JSON.stringify({ cmd, args: text, bin: bins[0][0] }));
      if (header.length <= MAX_CALL_HEADER) {
        return post(cmd, { "X-Portcullis-Key": config.key, "X-Portcullis-Call": header }, bins[0][1]);
      }
    }
    const encoder = new TextEncoder();
    const json = encoder.encode(text);
    const meta = encoder.encode(JSON.stringify({ cmd, json: json.length, bins: bins.map(([k, b]) => [k, b.byteLength]) }));
    // One contiguous buffer: WebKitGTK crashes reading a Blob body of a
    // custom-scheme request (webkit_uri_scheme_request_get_http_body).
    let size = 4 + meta.length + json.length;
    for (const [, bytes] of bins) size += bytes.byteLength;
    const body = new Uint8Array(size);
    new DataView(body.buffer).setUint32(0, meta.length, true);
    body.set(meta, 4);
    body.set(json, 4 + meta.length);
    let offset = 4 + meta.length + json.length;
    for (const [, bytes] of bins) {
      body.set(bytes, offset);
      offset += bytes.byteLength;
    }
    return post(cmd, { "X-Portcullis-Key": config.key }, body);
  }

  async function post(cmd, headers, body) {
    let response;
    try {
      response = await nativeFetch(config.ipcUrl, { method: "POST", headers, body });
    } catch (err) {
      throw new IpcError({ code: "internal", message: `invoke("${cmd}"): the IPC request failed: ${err}`, command: cmd });
    }
    return readResponse(cmd, response);
  }

  async function readResponse(cmd, response) {
    const type = response.headers.get("Content-Type") || "";
    if (response.ok && type.startsWith("application/octet-stream")) {
      return new Uint8Array(await response.arrayBuffer());
    }
    const text = await response.text();
    let value;
    try {
      value = text === "" ? null : JSON.parse(text);
    } catch (err) {
      throw new IpcError({ code: "internal", message: `invoke("${cmd}"): unreadable reply (HTTP ${response.status})`, command: cmd });
    }
    if (!response.ok) throw new IpcError(value);
    return value;
  }

  /**
   * Called by the core (through evaluate_script) with the outcome of call `id`:
   * kind 0 = result, 1 = error, 2 = a binary result waiting to be fetched.
   * Every call is settled exactly once; unknown ids are ignored.
   */
  function reply(id, kind, payload) {
    const call = pending.get(id);
    if (call === undefined) return;
    pending.delete(id);
    if (kind === 0) call.resolve(payload);
    else if (kind === 1) call.reject(new IpcError(payload));
    else {
      nativeFetch(config.replyUrl + id, { headers: { "X-Portcullis-Key": config.key } })
        .then((response) => readResponse(call.cmd, response))
        .then(call.resolve, call.reject);
    }
  }

  Object.defineProperty(window, "__PORTCULLIS_INTERNALS__", {
    value: Object.freeze({ invoke, reply, IpcError, label: config.label }),
    writable: false,
    configurable: false,
    enumerable: false,
  });
})();
