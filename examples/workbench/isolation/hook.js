// The workbench's isolation hook: every message from the page passes here,
// in a sandboxed frame, before it is encrypted for the core. A compromised
// npm dependency can call `invoke`, but only with what these rules allow.
// Return the message to send it on; throw to refuse it (the page's call
// rejects with the message).
const MAX_NAME = 100;
const MAX_LIMIT = 2_000_000_000;
const MAX_PIXELS = 16 << 20;

const only = (args, ...keys) => Object.keys(args).every((key) => keys.includes(key));

const rules = {
  greet: (args) => {
    if (typeof args.name !== "string") return "a name is a string";
    if (args.name.length > MAX_NAME) return `a name has at most ${MAX_NAME} characters`;
    return only(args, "name") || "greet takes a name only";
  },
  count_primes: (args) => {
    if (!Number.isInteger(args.limit) || args.limit < 0) return "a limit is a whole number";
    if (args.limit > MAX_LIMIT) return `the limit is at most ${MAX_LIMIT.toLocaleString("en")}`;
    return only(args, "limit", "progress") || "count_primes takes a limit and a progress channel";
  },
  invert: (args) => {
    if (!(args.pixels instanceof Uint8Array)) return "pixels are bytes";
    if (args.pixels.length > MAX_PIXELS) return "at most 16 MiB of pixels";
    return only(args, "pixels") || "invert takes pixels only";
  },
  jobs_done: (args) => only(args) || "jobs_done takes nothing",
};

window.__PORTCULLIS_ISOLATION_HOOK__ = (message) => {
  // The page sends no events of its own.
  if (message.kind === "emit") throw new Error("this page emits no events");
  if (message.kind !== "invoke") return message;
  const rule = rules[message.cmd];
  // Names the app does not know go on to the core, which refuses them.
  if (rule === undefined) return message;
  const verdict = rule(message.args ?? {});
  if (verdict !== true) throw new Error(`refused by the isolation hook: ${verdict}`);
  return message;
};
