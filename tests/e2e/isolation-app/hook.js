// The e2e isolation app: validates, modifies, rejects, or never answers.
window.__PORTCULLIS_ISOLATION_HOOK__ = (message) => {
  if (message.cmd === "reject_me") throw new Error("rejected by the hook");
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
