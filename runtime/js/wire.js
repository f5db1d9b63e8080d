  // ---- wire format, shared by internals.js and isolation.js (spliced in) ----
  // The constants (paths, headers, kinds, the name rule) come from the core
  // in `config.wire`; the formats are documented in runtime/src/gate/frame.rs.

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

  const utf8 = new TextEncoder();
  // Room before the args for the length and the meta of a frame without
  // binary parts: names are at most 128 ASCII characters.
  const META_ROOM = 4 + 256;
  let scratch = new Uint8Array(1 << 12);

  /**
   * The frame: u32 LE meta length, meta JSON `{kind, cmd, json, bins}`, args
   * JSON, raw binary args; one contiguous buffer (WebKitGTK crashes reading a
   * Blob body of a custom-scheme request). With `reuse` and no binary parts,
   * the args are encoded with encodeInto into a buffer every such call
   * reuses (~1.5x faster than encode on 64 KiB in WebKitGTK 2.50): the caller
   * must be done with the result before the next call (WebCrypto's encrypt
   * copies its input at once).
   */
  function frame(kind, cmd, text, bins, reuse) {
    if (reuse && bins.length === 0) {
      const need = META_ROOM + text.length * 3;
      const out = need <= scratch.length ? scratch : new Uint8Array(need);
      if (out !== scratch && need <= 1 << 21) scratch = out;
      const written = utf8.encodeInto(text, out.subarray(META_ROOM)).written;
      const meta = utf8.encode(JSON.stringify({ kind, cmd, json: written, bins: [] }));
      const start = META_ROOM - meta.length - 4;
      new DataView(out.buffer, out.byteOffset).setUint32(start, meta.length, true);
      out.set(meta, start + 4);
      return out.subarray(start, META_ROOM + written);
    }
    const json = utf8.encode(text);
    const meta = utf8.encode(JSON.stringify({ kind, cmd, json: json.length, bins: bins.map(([k, b]) => [k, b.byteLength]) }));
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
