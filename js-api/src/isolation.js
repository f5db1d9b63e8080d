// Portcullis isolation frame bootstrap. The runtime serves it first in the
// isolation app's document, in a hidden sandboxed iframe of its own origin,
// with the config placeholder below replaced by this window's session.
(function () {
  "use strict";
  let config = __PORTCULLIS_ISOLATION_CONFIG__;
  const label = config.label;
  const maxPostMessage = config.maxPostMessage;
  const raw = Uint8Array.from(atob(config.key), (c) => c.charCodeAt(0));
  config = null;
  // Non-extractable: not even this frame can read the key back.
  const keyPromise = crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt"]);
  raw.fill(0);
  // The key's text leaves the DOM with this element.
  document.currentScript.remove();

  /*__PORTCULLIS_WIRE__*/

  const encoder = new TextEncoder();
  let seq = 0;

  /** Encrypts; the plaintext is copied before this returns (WebCrypto does). */
  function seal(key, id, plaintext) {
    const mySeq = ++seq;
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const aad = encoder.encode("portcullis-isolation-v1\0" + label + "\0" + id + "\0" + mySeq);
    return crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad }, key, plaintext)
      .then((ct) => ({ seq: mySeq, iv, ct }));
  }

  // `cmd\ntext` as UTF-8 in one buffer that every call reuses (up to 1 MiB):
  // encodeInto is ~1.5x faster than encode on 64 KiB in WebKitGTK 2.50, and
  // reuse is safe because seal's encrypt copies its input before any other
  // call can run.
  let scratch = new Uint8Array(1 << 12);
  function utf8Message(cmd, text) {
    const need = (cmd.length + 1 + text.length) * 3;
    const out = need <= scratch.length ? scratch : new Uint8Array(need);
    if (out !== scratch && need <= 1 << 20) scratch = out;
    let written = encoder.encodeInto(cmd + "\n", out).written;
    written += encoder.encodeInto(text, out.subarray(written)).written;
    return out.subarray(0, written);
  }

  // "*": WebKit gives custom-scheme pages an opaque origin, so a named target
  // never matches; what is sent (an id and ciphertext) is no secret anyway.
  function reply(message, transfer) {
    window.parent.postMessage(message, "*", transfer || []);
  }

  window.addEventListener("message", (event) => {
    // Requests come from the page that embeds this frame, and nowhere else;
    // the calls made in one task of the page arrive as one batch.
    if (event.source !== window.parent || !event.isTrusted) return;
    const batch = event.data !== null && typeof event.data === "object" ? event.data.batch : undefined;
    if (!Array.isArray(batch)) return;
    for (const request of batch) handle(request);
  });

  async function handle(request) {
    if (request === null || typeof request !== "object" || typeof request.id !== "number" || typeof request.cmd !== "string") return;
    const id = request.id;
    let message;
    try {
      const hook = window.__PORTCULLIS_ISOLATION_HOOK__;
      if (typeof hook !== "function") throw new Error("the isolation app defines no window.__PORTCULLIS_ISOLATION_HOOK__");
      message = await hook({ cmd: request.cmd, args: request.args, window: label });
      if (message === null || typeof message !== "object" || typeof message.cmd !== "string" || message.cmd === "" || message.cmd.includes("\n")) {
        throw new Error("the isolation hook must return the message ({ cmd, args })");
      }
    } catch (err) {
      reply({ id, rejected: String(err && err.message !== undefined ? err.message : err) });
      return;
    }
    try {
      const key = await keyPromise;
      // From here to seal's encrypt, nothing awaits: the scratch buffer is ours.
      const { text, bins } = splitArgs(message.args);
      const viaFetch = bins.length > 0 || text.length > maxPostMessage;
      const plaintext = viaFetch ? frame(message.cmd, text, bins) : utf8Message(message.cmd, text);
      const sealed = await seal(key, id, plaintext);
      reply({ id, transport: viaFetch ? "fetch" : "message", seq: sealed.seq, iv: sealed.iv, ct: sealed.ct }, [sealed.ct]);
    } catch (err) {
      reply({ id, failed: String(err && err.message !== undefined ? err.message : err) });
    }
  }

  window.addEventListener("load", () => reply({ ready: true }));
})();
