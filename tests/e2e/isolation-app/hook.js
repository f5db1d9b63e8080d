// The e2e isolation app: validates, modifies, rejects, or never answers.
window.__PORTCULLIS_ISOLATION_HOOK__ = (message) => {
  if (message.kind === "cancel") {
    // The hook decides about cancels too.
    if (message.cmd === "uncancellable") throw new Error("this call cannot be cancelled");
    return message;
  }
  if (message.kind === "emit" && message.cmd === "note") {
    // Events pass the hook like calls: it may rewrite or refuse them.
    const text = String(message.args.payload.text);
    if (text === "forbidden") throw new Error("note refused by the hook");
    return { cmd: "note", args: { payload: { text: text.toUpperCase() } } };
  }
  if (message.cmd === "reject_me") throw new Error("rejected by the hook");
  // A check on values, as app authors write them (wave 1: wrapper objects
  // such as new String("danger") passed it, and their JSON reached the core).
  if (message.cmd === "guarded" && (message.args.what === "danger" || message.args.confirm === true)) {
    throw new Error("guarded: refused by the hook");
  }
  if (message.cmd === "hook_input") {
    // What the hook is given, reported back through `echo`.
    const args = message.args;
    return {
      cmd: "echo",
      args: {
        value: {
          keys: Object.keys(message).sort(),
          kind: message.kind,
          window: message.window,
          plainObject: Object.getPrototypeOf(args) === Object.prototype,
          textType: typeof args.text,
          dataIsBytes: args.data instanceof Uint8Array,
        },
      },
    };
  }
  if (message.cmd === "hang") return new Promise(() => {});
  if (message.cmd === "shout") {
    return { cmd: "shout", args: { text: String(message.args.text).toUpperCase() } };
  }
  if (message.cmd === "probe_frame") {
    // What the isolation frame's own page (author code) can see of the key.
    const html = document.documentElement.outerHTML;
    const keys = Object.getOwnPropertyNames(window).filter((name) => {
      try {
        return window[name] instanceof CryptoKey;
      } catch (err) {
        return false;
      }
    });
    return {
      cmd: "probe_frame",
      args: {
        scripts: document.scripts.length,
        // The bootstrap's config: a 32-byte key in base64 (44 characters).
        keyTextInDom: /"key":"[A-Za-z0-9+\/]{43}="/.test(html),
        cryptoKeyGlobals: keys,
        window: message.window,
      },
    };
  }
  return Promise.resolve(message);
};
