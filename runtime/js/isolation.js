// Portcullis isolation frame bootstrap. The runtime serves it first in the
// isolation app's document, in a hidden sandboxed iframe of its own origin,
// with the config placeholder below replaced by this window's session.
(function () {
  "use strict";
  let config = __PORTCULLIS_ISOLATION_CONFIG__;
  const label = config.label;
  // The names of the capabilities that apply to this window (for the hook).
  const capabilities = Object.freeze(Array.isArray(config.capabilities) ? config.capabilities.slice() : []);
  const wire = config.wire;
  const raw = Uint8Array.from(atob(config.key), (c) => c.charCodeAt(0));
  config = null;
  // Non-extractable: not even this frame can read the key back.
  const keyPromise = crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt"]);
  raw.fill(0);
  // The key's text leaves the DOM with this element.
  document.currentScript.remove();
  const validName = new RegExp(wire.namePattern);

  /*__PORTCULLIS_WIRE__*/

  let seq = 0;

  /**
   * Encrypts for `transport`: the associated data binds the window, the
   * transport, the call id and the sequence number, so the core opens it only
   * as exactly that. The plaintext is copied before this returns (WebCrypto
   * does), so a reused buffer is safe.
   */
  function seal(key, id, transport, plaintext) {
    const mySeq = ++seq;
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const aad = utf8.encode([wire.aadPrefix, label, transport, id, mySeq].join("\0"));
    return crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad }, key, plaintext)
      .then((ct) => ({ seq: mySeq, iv, ct }));
  }

  // "*": WebKit gives custom-scheme pages an opaque origin, so a named target
  // never matches; what is sent (an id and ciphertext) is no secret anyway.
  function reply(message, transfer) {
    window.parent.postMessage(message, "*", transfer || []);
  }

  window.addEventListener("message", (event) => {
    // Requests come from the page that embeds this frame, and nowhere else;
    // the messages sent in one task of the page arrive as one batch.
    if (event.source !== window.parent || !event.isTrusted) return;
    const batch = event.data !== null && typeof event.data === "object" ? event.data.batch : undefined;
    if (!Array.isArray(batch)) return;
    for (const request of batch) handle(request);
  });

  /** The args the hook sees: parsed from the very text that would be sent. */
  function parseArgs(text, bins) {
    const args = text === "" ? undefined : JSON.parse(text);
    if (bins.length === 0) return args;
    if (args === null || typeof args !== "object" || Array.isArray(args)) throw new Error("binary arguments need an args object");
    for (const [key, bytes] of bins) {
      if (typeof key !== "string" || !(bytes instanceof Uint8Array)) throw new Error("malformed binary argument");
      args[key] = bytes;
    }
    return args;
  }

  async function handle(request) {
    if (request === null || typeof request !== "object" || typeof request.id !== "number") return;
    const id = request.id;
    let message;
    try {
      const { kind, cmd, text, bins } = request;
      // The page is not trusted: whatever it posts is checked as the core would.
      if (!wire.kinds.includes(kind)) throw new Error(`unknown message kind ${JSON.stringify(kind)}`);
      if (typeof cmd !== "string" || !validName.test(cmd)) throw new Error("not a valid command name");
      if (typeof text !== "string" || !Array.isArray(bins)) throw new Error("malformed message");
      const hook = window.__PORTCULLIS_ISOLATION_HOOK__;
      if (typeof hook !== "function") throw new Error("the isolation app defines no window.__PORTCULLIS_ISOLATION_HOOK__");
      message = await hook({ kind, cmd, args: parseArgs(text, bins), window: label, capabilities });
      if (message === null || typeof message !== "object" || typeof message.cmd !== "string" || !validName.test(message.cmd)) {
        throw new Error("the isolation hook must return the message ({ cmd, args }) with a valid command name");
      }
      if (message.kind !== undefined && message.kind !== kind) throw new Error("the isolation hook cannot change a message's kind");
      message = { kind, cmd: message.cmd, args: message.args };
    } catch (err) {
      reply({ id, kind: request.kind, rejected: String(err && err.message !== undefined ? err.message : err) });
      return;
    }
    try {
      const key = await keyPromise;
      // From here to seal's encrypt, nothing awaits: the frame buffer is ours.
      const { text, bins } = splitArgs(message.args);
      const transport = bins.length > 0 || text.length > wire.maxPostMessage ? "fetch" : "message";
      const plaintext = frame(message.kind, message.cmd, text, bins, true);
      const sealed = await seal(key, id, transport, plaintext);
      reply({ id, kind: message.kind, transport, seq: sealed.seq, iv: sealed.iv, ct: sealed.ct }, [sealed.ct]);
    } catch (err) {
      reply({ id, kind: message.kind, failed: String(err && err.message !== undefined ? err.message : err) });
    }
  }

  window.addEventListener("load", () => reply({ ready: true }));
})();
