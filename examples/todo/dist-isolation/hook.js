// The todo app's isolation hook: every message from the page passes here,
// in a sandboxed frame, before it is encrypted for the core. A compromised
// front-end dependency can call `invoke`, but only with what this allows.
const MAX_TITLE = 200;

function positiveInteger(value) {
  return Number.isInteger(value) && value > 0;
}

const rules = {
  list_todos: (args) => Object.keys(args).length === 0,
  add_todo: (args) => typeof args.title === "string" && args.title.length <= MAX_TITLE && Object.keys(args).length === 1,
  toggle_todo: (args) => positiveInteger(args.id) && Object.keys(args).length === 1,
  delete_todo: (args) => positiveInteger(args.id) && Object.keys(args).length === 1,
  open_window: (args) => Object.keys(args).length === 0,
  open_about: (args) => Object.keys(args).length === 0,
  import_samples: (args) => Object.keys(args).length === 1 && typeof args.progress === "object",
};

window.__PORTCULLIS_ISOLATION_HOOK__ = (message) => {
  // Cancelling a call is always fine here (it only stops work), and so is
  // listening to the core's events; the page has no event to send.
  if (message.kind === "cancel" || message.kind === "listen" || message.kind === "unlisten") return message;
  if (message.kind === "emit") throw new Error("the todo page emits no events");
  const rule = rules[message.cmd];
  const args = message.args ?? {};
  if (rule !== undefined && !rule(args)) {
    if (message.cmd === "add_todo" && typeof args.title === "string" && args.title.length > MAX_TITLE) {
      throw new Error(`title too long (at most ${MAX_TITLE} characters)`);
    }
    throw new Error(`refused: unexpected arguments for ${message.cmd}`);
  }
  return { cmd: message.cmd, args };
};
