// The isolation hook: every message from the page passes here, in a
// sandboxed frame, before it is encrypted for the core. A compromised npm
// dependency of the front end can call `invoke`, but only with what this
// allows. Return the message (changed or not) to send it; throw to refuse it.
const MAX_NAME = 100;

window.__PORTCULLIS_ISOLATION_HOOK__ = (message) => {
  if (message.kind !== "invoke") return message;
  const args = message.args ?? {};
  switch (message.cmd) {
    case "greet":
      if (typeof args.name !== "string" || args.name.length > MAX_NAME) {
        throw new Error(`a name is a string of at most ${MAX_NAME} characters`);
      }
      return message;
    case "click":
      return message;
    default:
      throw new Error(`${message.cmd} is not a command of this app`);
  }
};
