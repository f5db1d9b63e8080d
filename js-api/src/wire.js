  // ---- wire format, shared by internals.js and isolation.js (spliced in) ----

  function isBinary(value) {
    return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
  }

  function asBytes(value) {
    return value instanceof ArrayBuffer
      ? new Uint8Array(value)
      : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }

  /** Splits top-level binary values out of the args: `{ text, bins }`. Throws if not JSON. */
  function splitArgs(args) {
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
    const text = args === undefined ? "" : JSON.stringify(json);
    return { text: text === undefined ? "" : text, bins };
  }

  /** The fetch frame: u32 LE meta length, meta JSON, args JSON, raw binary args. One buffer. */
  function frame(cmd, text, bins) {
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
    return body;
  }

  // Native where the engine has it (WebKitGTK 2.50 does): ~10x faster than
  // the loop below on a 64 KiB ciphertext, which is most of what isolation
  // adds to a large call.
  const nativeBase64 = typeof Uint8Array.prototype.toBase64 === "function";

  function base64(bytes) {
    if (nativeBase64) return bytes.toBase64();
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
  }
  // ---- end of wire format ----
