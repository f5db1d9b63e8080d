// Shared by the attack pages: what a script without the key can try.
window.forge = {
  /** Posts a raw message straight to the native handler, with a guessed key. */
  post(send) {
    try {
      send("guessed-key\n1\nrecord\n{}");
      return true;
    } catch (err) {
      return String(err);
    }
  },
  /** POSTs a well-formed `record` frame with a guessed key; the HTTP status or the error. */
  async fetchRecord(url) {
    const meta = new TextEncoder().encode(JSON.stringify({ cmd: "record", json: 2, bins: [] }));
    const body = new Uint8Array(4 + meta.length + 2);
    new DataView(body.buffer).setUint32(0, meta.length, true);
    body.set(meta, 4);
    body.set(new TextEncoder().encode("{}"), 4 + meta.length);
    try {
      const response = await fetch(url, { method: "POST", headers: { "X-Portcullis-Key": "guessed-key" }, body });
      return response.status;
    } catch (err) {
      return `network error: ${err}`;
    }
  },
};
