// Portcullis internals: the runtime injects this script into the main frame of
// every window, before any page script runs. The config placeholder below is
// replaced by this run's configuration. The npm package `portcullis-api` is a
// typed layer over the object it installs. Do not load it yourself.
(function () {
  "use strict";
  const config = __PORTCULLIS_CONFIG__;
  // Install nothing on pages the app did not serve (e.g. after a navigation the
  // app allowed): the key below must never be usable from another origin.
  // A page of a remote origin some capability names gets IPC as well (the
  // core decides what it may do, by the page's real origin); it uses the
  // message transport only (the app's scheme answers only its own origin).
  const pageOrigin = window.location.protocol + "//" + window.location.host;
  const remote = pageOrigin !== config.origin;
  if (remote && !(config.remoteOrigins || []).includes(pageOrigin)) return;
  const wire = config.wire;
  const validName = new RegExp(wire.namePattern);
  const ipcUrl = config.origin + wire.ipcPath;
  const replyUrl = config.origin + wire.replyPath;

  const sendNative = window.ipc.postMessage.bind(window.ipc);
  // Tests of the isolation envelope only (a `test-hooks` build, never an app):
  // the key and a log of what was posted, as an attacker who broke the outer
  // layer has them.
  const exposed = config.exposeKeyForTests ? { key: config.key, sent: [] } : null;
  if (exposed !== null) Object.defineProperty(window, "__PORTCULLIS_TEST__", { value: exposed });
  function postMessage(text) {
    if (exposed !== null) exposed.sent.push(text);
    sendNative(text);
  }
  const nativeFetch = window.fetch.bind(window);

  /*__PORTCULLIS_WIRE__*/

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

  /** Calls waiting for their reply, by id. */
  const pending = new Map();
  // Call ids start at a random point for every page load, not at 1: a reply
  // to a call of a page that has since reloaded or navigated (its command
  // still running) then finds no call with its id in the page that replaced
  // it. 52 random bits; ids stay exact integers below 2^53, in JS and in the
  // core's u64.
  const seed = crypto.getRandomValues(new Uint32Array(2));
  let nextId = (seed[0] & 0xfffff) * 0x100000000 + seed[1] + 1;

  function fail(code, message, command) {
    return Promise.reject(new IpcError({ code, message, command }));
  }

  function settle(id, ok, value) {
    const call = pending.get(id);
    if (call === undefined) return;
    pending.delete(id);
    clearTimeout(call.timer);
    if (call.unwatch !== undefined) call.unwatch();
    if (ok) call.resolve(value);
    else call.reject(value instanceof Error ? value : new IpcError(value));
  }

  function cancelled(cmd) {
    return new IpcError({ code: "cancelled", message: `invoke("${cmd}") was cancelled`, command: cmd });
  }

  /**
   * Ties pending call `id` to an AbortSignal: on abort, the call rejects at
   * once with `cancelled` and `tellCore` sends the core a cancel (which
   * drops the command's future). Settling first removes the listener.
   */
  function watch(id, cmd, signal, tellCore) {
    if (signal === undefined || signal === null) return;
    const onAbort = () => {
      if (!pending.has(id)) return;
      settle(id, false, cancelled(cmd));
      tellCore();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    pending.get(id).unwatch = () => signal.removeEventListener("abort", onAbort);
  }

  /** Posts a cancel for call `id` (isolation off). */
  function postCancel(id, cmd) {
    postMessage(config.key + "\n" + id + "\ncancel\n" + cmd + "\n");
  }

  /**
   * Calls a Rust command. Small JSON calls go through the web view's message
   * channel; calls with binary arguments (or large JSON) go as one raw HTTP
   * body to the app's own origin. With isolation on, every call first goes
   * through the isolation frame. `options.signal` (an AbortSignal) cancels
   * the call: it rejects at once with `cancelled` and the core drops it.
   */
  function invoke(cmd, args, options) {
    if (typeof cmd !== "string" || !validName.test(cmd)) {
      return fail("unknown_command", `invoke: ${JSON.stringify(String(cmd)).slice(0, 80)} is not a valid command name (1 to 128 ASCII letters, digits, "_ . : -", starting with a letter or "_")`, null);
    }
    const opts = options || {};
    const signal = opts.signal;
    // Already aborted: nothing is sent.
    if (signal && signal.aborted) return Promise.reject(cancelled(cmd));
    let parts;
    try {
      parts = splitArgs(args);
    } catch (err) {
      return fail("invalid_args", `invoke("${cmd}"): the arguments cannot be sent as JSON: ${err.message}`, cmd);
    }
    const call = send("invoke", cmd, parts, signal, opts.transport === "fetch");
    const passed = channelArgs(args);
    if (passed.length === 0) return call;
    // A call that fails ends the channels passed to it (the command may never
    // have got them, so the core would never say they ended).
    return call.catch((err) => {
      for (const channel of passed) channel.close();
      throw err;
    });
  }

  function channelArgs(args) {
    if (args === null || typeof args !== "object") return [];
    return Object.values(args).filter((value) => value instanceof Channel);
  }

  /**
   * Sends a message of `kind` naming `name` and settles with the core's
   * reply: through the isolation frame when it is on, else posted (small
   * JSON) or fetched (binary parts, large JSON, or `viaFetchAlways`).
   */
  function send(kind, name, parts, signal, viaFetchAlways) {
    if (isolation !== null) return isolation.send(kind, name, parts, signal);
    if (parts.bins.length > 0 || viaFetchAlways || parts.text.length > wire.maxPostMessage) {
      if (remote) {
        return fail("forbidden", `${kind}("${name}"): a page of ${pageOrigin} can send only JSON under ${wire.maxPostMessage} characters (no binary, no fetch transport)`, name);
      }
      return viaFetch(kind, name, parts.text, parts.bins, signal);
    }
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, cmd: name });
      watch(id, name, signal, () => postCancel(id, name));
      postMessage(config.key + "\n" + id + "\n" + kind + "\n" + name + "\n" + parts.text);
    });
  }

  // ---- events ----

  /** The page's listeners, by event name: a Set of `{ handler, once }`. */
  const listeners = new Map();
  /** Event names the core knows this page listens to. */
  const subscribed = new Set();
  /** Per name, the registration exchange with the core in progress. */
  const syncing = new Map();

  function badEventName(name) {
    return new IpcError({ code: "unknown_event", message: `${JSON.stringify(String(name)).slice(0, 80)} is not a valid event name (1 to 128 ASCII letters, digits, "_ . : -", starting with a letter or "_")`, command: null });
  }

  /**
   * Brings the core's view of whether this page listens to `name` in line
   * with the page's listeners: one `listen` or `unlisten` at a time per name
   * (so they can never arrive out of order, whatever the transport or the
   * isolation hook does), re-checked after each, so any number of
   * listen/unlisten calls cost at most one exchange in flight.
   */
  function sync(name) {
    const running = syncing.get(name);
    if (running !== undefined) return running;
    const exchange = (async () => {
      // Start after the caller's synchronous code (a listen right after an
      // unlisten is one wish, not two exchanges).
      await null;
      for (;;) {
        const set = listeners.get(name);
        const wanted = set !== undefined && set.size > 0;
        // The last check and the hand-over happen in one synchronous step,
        // so a wish made after it starts a new exchange.
        if (wanted === subscribed.has(name)) {
          syncing.delete(name);
          return;
        }
        try {
          await send(wanted ? "listen" : "unlisten", name, { text: "{}", bins: [] });
        } catch (err) {
          syncing.delete(name);
          throw err;
        }
        if (wanted) subscribed.add(name);
        else subscribed.delete(name);
      }
    })();
    syncing.set(name, exchange);
    return exchange;
  }

  function removeListener(name, entry) {
    const set = listeners.get(name);
    if (set === undefined || !set.delete(entry)) return;
    if (set.size === 0) listeners.delete(name);
    // Failures are the core refusing; nothing the caller can act on.
    sync(name).catch(() => {});
  }

  /**
   * Calls `handler({ name, payload, source })` for each event `name` the
   * page receives. Resolves, once the core knows (so events emitted before
   * that, held for this window, arrive first), to the function that removes
   * the listener. Rejects (listener removed) when the core refuses the name.
   */
  async function listen(name, handler, once) {
    if (typeof name !== "string" || !validName.test(name)) throw badEventName(name);
    if (typeof handler !== "function") throw new TypeError("listen: the handler must be a function");
    const entry = { handler, once: once === true };
    let set = listeners.get(name);
    if (set === undefined) listeners.set(name, (set = new Set()));
    set.add(entry);
    const unlisten = () => removeListener(name, entry);
    try {
      await sync(name);
    } catch (err) {
      unlisten();
      throw err;
    }
    return unlisten;
  }

  /** Sends event `name` to the core's listeners, and to every window's page (or `to`'s only). */
  function emit(name, payload, to) {
    if (typeof name !== "string" || !validName.test(name)) return Promise.reject(badEventName(name));
    const args = { payload: payload === undefined ? null : payload };
    if (to !== undefined) {
      if (typeof to !== "string") return Promise.reject(new TypeError("emitTo: the window label must be a string"));
      args.to = to;
    }
    let text;
    try {
      text = JSON.stringify(args);
    } catch (err) {
      return fail("invalid_args", `emit("${name}"): the payload cannot be sent as JSON: ${err.message}`, name);
    }
    return send("emit", name, { text, bins: [] }).then(() => undefined);
  }

  function dispatch(name, payload, source) {
    const set = listeners.get(name);
    if (set === undefined) return;
    const event = { name, payload, source };
    for (const entry of Array.from(set)) {
      if (!set.has(entry)) continue;
      if (entry.once) removeListener(name, entry);
      try {
        entry.handler(event);
      } catch (err) {
        // One listener's exception is reported, and the others still run.
        if (typeof reportError === "function") reportError(err);
        else if (typeof console === "object") console.error(err);
      }
    }
  }

  /** Events waiting behind a parked payload being fetched, so order holds. */
  let eventsBehind = 0;
  let eventTail = Promise.resolve();

  /**
   * Called by the core's event scripts (only in a page of the app's origin,
   * with the reply token, as replies are) with a batch of
   * `[name, payload, source, mode]`: mode 0, the payload as a literal; 1,
   * as JSON text; 2, a ticket to fetch it by (large payloads); 3, dropped.
   * Delivered in order, including behind a fetched one.
   */
  function events(token, batch) {
    if (token !== config.replyToken || !Array.isArray(batch)) return;
    for (const [name, payload, source, mode] of batch) {
      if (mode === 3) continue;
      if (mode !== 2 && eventsBehind === 0) {
        deliverEvent(name, payload, source, mode);
        continue;
      }
      eventsBehind++;
      const value = mode === 2
        ? nativeFetch(replyUrl + payload, { headers: { [wire.keyHeader]: config.key } }).then((r) => {
          if (!r.ok) throw new Error(`HTTP ${r.status}`);
          return r.text();
        })
        : Promise.resolve(payload);
      eventTail = Promise.all([value, eventTail])
        .then(([text]) => deliverEvent(name, text, source, mode === 2 ? 1 : mode))
        .catch((err) => console.error(`portcullis: event "${name}" could not be fetched`, err))
        .finally(() => eventsBehind--);
    }
  }

  function deliverEvent(name, payload, source, mode) {
    let value = payload;
    if (mode === 1) {
      try {
        value = JSON.parse(payload);
      } catch (err) {
        console.error(`portcullis: event "${name}" has an unreadable payload`, err);
        return;
      }
    }
    dispatch(name, value, source);
  }

  // ---- channels ----

  /** The page's open channels, by id. */
  const channelsById = new Map();

  /**
   * A stream from a command to this page: pass it as an argument; `onmessage`
   * gets each value the command sends, in order; `onclose` runs when the
   * command's side is done. `close()` tells the core to stop it.
   */
  class Channel {
    constructor(onmessage) {
      if (onmessage !== undefined && typeof onmessage !== "function") {
        throw new TypeError("Channel: onmessage must be a function");
      }
      this.id = nextId++;
      this.onmessage = onmessage || null;
      this.onclose = null;
      this.closed = false;
      // What the core counts: messages and bytes taken so far.
      this._taken = 0;
      this._bytes = 0;
      // Messages waiting behind a fetched one (per channel: a large message
      // never holds up another channel).
      this._behind = 0;
      this._tail = Promise.resolve();
      channelsById.set(this.id, this);
    }

    /** What the core receives for it. */
    toJSON() {
      return { __portcullisChannel: this.id };
    }

    /** Stops it: the command's next `send` fails. Nothing more is delivered. */
    close() {
      if (this.closed) return;
      this._end();
      send("channel-close", "channel", { text: JSON.stringify({ id: this.id }), bins: [] }).catch(() => {});
    }

    _end() {
      this.closed = true;
      channelsById.delete(this.id);
    }
  }

  function takeMessage(channel, value, len) {
    if (channel.closed) return;
    channel._taken++;
    channel._bytes += len;
    if (channel.onmessage !== null) {
      try {
        channel.onmessage(value);
      } catch (err) {
        if (typeof reportError === "function") reportError(err);
        else if (typeof console === "object") console.error(err);
      }
    }
  }

  function ackChannel(channel) {
    if (channel.closed) return;
    const text = JSON.stringify({ id: channel.id, messages: channel._taken, bytes: channel._bytes });
    send("channel-ack", "channel", { text, bins: [] }).catch(() => {});
  }

  function endChannel(channel) {
    if (channel.closed) return;
    channel._end();
    if (typeof channel.onclose === "function") {
      try {
        channel.onclose();
      } catch (err) {
        if (typeof reportError === "function") reportError(err);
      }
    }
  }

  /**
   * Called by the core's delivery scripts (app origin, reply token) with
   * `[id, seq, payload, mode, bytes]` items: see the runtime's events.rs for
   * the modes. Each channel's messages are taken in order, also behind a
   * fetched one; then what was taken is acknowledged, once per channel.
   */
  function channels(token, batch) {
    if (token !== config.replyToken || !Array.isArray(batch)) return;
    const touched = new Set();
    for (const [id, , payload, mode, len] of batch) {
      const channel = channelsById.get(id);
      if (channel === undefined) continue;
      if (channel._behind === 0 && (mode === 0 || mode === 1 || mode === 3 || mode === 5)) {
        if (mode === 5) {
          endChannel(channel);
        } else if (mode === 3) {
          // Dropped by the core (nothing to deliver): still counted as taken.
          channel._taken++;
          channel._bytes += len;
          touched.add(channel);
        } else {
          let value = payload;
          if (mode === 1) {
            try {
              value = JSON.parse(payload);
            } catch (err) {
              value = undefined;
            }
          }
          takeMessage(channel, value, len);
          touched.add(channel);
        }
        continue;
      }
      // Behind a fetch, or fetched itself: in this channel's chain.
      channel._behind++;
      const fetched = mode === 2 || mode === 4
        ? nativeFetch(replyUrl + payload, { headers: { [wire.keyHeader]: config.key } }).then((r) => {
          if (!r.ok) throw new Error(`HTTP ${r.status}`);
          return mode === 4 ? r.arrayBuffer() : r.text();
        })
        : Promise.resolve(payload);
      channel._tail = Promise.all([fetched, channel._tail])
        .then(([value]) => {
          if (mode === 5) return endChannel(channel);
          if (mode === 3) {
            channel._taken++;
            channel._bytes += len;
          } else {
            const data = mode === 4 ? new Uint8Array(value) : mode === 2 || mode === 1 ? JSON.parse(value) : value;
            takeMessage(channel, data, len);
          }
          ackChannel(channel);
        })
        .catch((err) => console.error(`portcullis: channel ${id}: a message could not be fetched`, err))
        .finally(() => channel._behind--);
    }
    for (const channel of touched) ackChannel(channel);
  }

  /** Open channels on this page (for leak tests). */
  function channelCount() {
    return channelsById.size;
  }

  /** Listeners on this page, over every name (for leak tests). */
  function listenerCount() {
    let count = 0;
    for (const set of listeners.values()) count += set.size;
    return count;
  }

  /** Largest X-Portcullis-Call header: far below WebKit's and libsoup's limits. */
  const MAX_CALL_HEADER = 8192;

  /**
   * One POST. With a single binary argument and small JSON, the body is that
   * argument's bytes as they are (no copy) and the rest goes in a header.
   * Otherwise the body is the frame (see wire format).
   */
  function viaFetch(kind, cmd, text, bins, signal) {
    const id = nextId++;
    const headers = { [wire.keyHeader]: config.key, [wire.idHeader]: String(id) };
    const cancel = { signal, tellCore: () => postCancel(id, cmd) };
    if (bins.length === 1) {
      const header = encodeURIComponent(JSON.stringify({ kind, cmd, args: text, bin: bins[0][0] }));
      if (header.length <= MAX_CALL_HEADER) {
        return post(cmd, { ...headers, [wire.callHeader]: header }, bins[0][1], cancel);
      }
    }
    return post(cmd, headers, frame(kind, cmd, text, bins, false), cancel);
  }

  /**
   * One POST to the IPC endpoint. `cancel.signal` aborts the request (the
   * call rejects at once with `cancelled`) and `cancel.tellCore()` then
   * tells the core to drop the call.
   */
  async function post(cmd, headers, body, cancel) {
    const signal = cancel && cancel.signal ? cancel.signal : undefined;
    let response;
    try {
      response = await nativeFetch(ipcUrl, { method: "POST", headers, body, signal });
    } catch (err) {
      if (signal !== undefined && signal.aborted) {
        cancel.tellCore();
        throw cancelled(cmd);
      }
      throw new IpcError({ code: "internal", message: `invoke("${cmd}"): the IPC request failed: ${err}`, command: cmd });
    }
    try {
      return await readResponse(cmd, response);
    } catch (err) {
      // Aborted while the body was read: the core has answered already.
      if (signal !== undefined && signal.aborted) throw cancelled(cmd);
      throw err;
    }
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
   * Called by the core's reply scripts (evaluated only in a page of the app's
   * origin) with the outcome of call `id`: kind `ok` or `err` with the result
   * or error (the JSON evaluated as a literal, or, when `asText`, its text
   * for `JSON.parse`: a `"__proto__"` key stays a key), `binary` for a result
   * waiting to be fetched. `token` proves the caller is the core (no page
   * ever posts it); anything else is ignored, so page scripts cannot forge
   * replies. Every call is settled exactly once.
   */
  function reply(token, id, kind, payload, asText) {
    if (token !== config.replyToken) return;
    const call = pending.get(id);
    if (call === undefined) return;
    if (kind === wire.reply.binary) {
      pending.delete(id);
      nativeFetch(replyUrl + id, { headers: { [wire.keyHeader]: config.key } })
        .then((response) => readResponse(call.cmd, response))
        .then(call.resolve, call.reject);
      return;
    }
    let value = payload;
    if (asText === 1) {
      try {
        value = JSON.parse(payload);
      } catch (err) {
        settle(id, false, { code: "internal", message: `unreadable reply: ${err.message}`, command: call.cmd });
        return;
      }
    }
    settle(id, kind === wire.reply.ok, value);
  }

  /**
   * The isolation channel: a hidden sandboxed frame of its own origin runs the
   * app's hook and encrypts each message; only its replies, checked by source
   * and isTrusted, reach the core. Messages sent before it is ready wait in a
   * queue.
   */
  function startIsolation({ url, timeoutMs }) {
    const frameElement = document.createElement("iframe");
    frameElement.setAttribute("sandbox", "allow-scripts");
    frameElement.setAttribute("aria-hidden", "true");
    frameElement.style.display = "none";
    // The core serves the frame only to the holder of this run's key, so no
    // other document can start (or replace) this window's session.
    frameElement.src = url + "?key=" + encodeURIComponent(config.key);
    let ready = false;
    const queue = [];
    const attach = () => document.documentElement.appendChild(frameElement);
    if (document.documentElement) attach();
    else {
      new MutationObserver((_, observer) => {
        if (document.documentElement) {
          observer.disconnect();
          attach();
        }
      }).observe(document, { childList: true });
    }

    /** Calls whose cancel is on its way through the frame, by id. */
    const cancelling = new Set();

    // Messages sent in the same task travel to the frame as one batch: with
    // many calls in flight, one hop instead of one per call.
    let outbox = [];
    function send(request) {
      outbox.push(request);
      if (outbox.length === 1) queueMicrotask(flush);
    }
    function flush() {
      const batch = outbox;
      outbox = [];
      frameElement.contentWindow.postMessage({ batch }, "*");
    }

    window.addEventListener("message", (event) => {
      // Only the frame we created, and only real events (a script can forge
      // a MessageEvent with any `source`, but not `isTrusted`).
      if (event.source !== frameElement.contentWindow || !event.isTrusted) return;
      const data = event.data;
      if (data === null || typeof data !== "object") return;
      if (data.ready === true) {
        ready = true;
        queue.splice(0).forEach(send);
        return;
      }
      if (data.kind === "cancel") {
        // A cancel the hook let through: to the core (a refused one is dropped).
        if (cancelling.delete(data.id) && data.transport === "message") {
          postMessage(config.key + "\n" + data.id + "\n" + data.seq + "\n" + base64(data.iv) + "\n" + base64(new Uint8Array(data.ct)));
        }
        return;
      }
      const call = pending.get(data.id);
      if (call === undefined) return;
      clearTimeout(call.timer);
      if (data.rejected !== undefined) {
        settle(data.id, false, { code: "isolation_rejected", message: data.rejected, command: call.cmd });
      } else if (data.failed !== undefined) {
        settle(data.id, false, { code: "internal", message: `isolation frame: ${data.failed}`, command: call.cmd });
      } else if (data.transport === "message") {
        postMessage(config.key + "\n" + data.id + "\n" + data.seq + "\n" + base64(data.iv) + "\n" + base64(new Uint8Array(data.ct)));
      } else {
        pending.delete(data.id);
        if (call.unwatch !== undefined) call.unwatch();
        post(call.cmd, {
          [wire.keyHeader]: config.key,
          [wire.envelopeHeader]: `${data.id} ${data.seq} ${base64(data.iv)}`,
        }, new Uint8Array(data.ct), { signal: call.signal, tellCore: () => cancelThroughFrame(data.id, call.cmd) })
          .then(call.resolve, call.reject);
      }
    });

    /** Sends `request` to the frame now, or when it is ready. */
    function enqueue(request) {
      if (ready) send(request);
      else queue.push(request);
    }

    /** A cancel of call `id`, through the frame and its hook like any message. */
    function cancelThroughFrame(id, cmd) {
      cancelling.add(id);
      enqueue({ id, kind: "cancel", cmd, text: "", bins: [] });
    }

    return {
      /** Sends a message of `kind` through the frame; settles like a call. */
      send(kind, cmd, { text, bins }, signal) {
        return new Promise((resolve, reject) => {
          const id = nextId++;
          const timer = setTimeout(() => {
            settle(id, false, { code: "isolation_timeout", message: `invoke("${cmd}"): the isolation hook did not answer in ${timeoutMs} ms`, command: cmd });
          }, timeoutMs);
          pending.set(id, { resolve, reject, cmd, timer, signal });
          watch(id, cmd, signal, () => cancelThroughFrame(id, cmd));
          enqueue({ id, kind, cmd, text, bins });
        });
      },
    };
  }

  const isolation = config.isolation ? startIsolation(config.isolation) : null;

  Object.defineProperty(window, "__PORTCULLIS_INTERNALS__", {
    value: Object.freeze({
      invoke,
      reply,
      events,
      channels,
      Channel,
      channelCount,
      listen: (name, handler) => listen(name, handler, false),
      once: (name, handler) => listen(name, handler, true),
      emit: (name, payload) => emit(name, payload),
      emitTo: (label, name, payload) => emit(name, payload, label),
      listenerCount,
      IpcError,
      label: config.label,
    }),
    writable: false,
    configurable: false,
    enumerable: false,
  });
})();
