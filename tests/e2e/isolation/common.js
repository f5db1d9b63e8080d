import { invoke, currentWindowLabel } from "/__portcullis__/api.js";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export function assert(condition, message) {
  if (!condition) throw new Error(message);
}
export function assertEq(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}
export async function rejection(promise) {
  try {
    const value = await promise;
    throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
  } catch (err) {
    return err;
  }
}
/** The isolation envelopes this page posted (test hook), newest last. */
export function envelopes() {
  const { key, sent } = window.__PORTCULLIS_TEST__;
  return sent.map((text) => text.slice(key.length + 1)).filter((rest) => rest.split("\n").length === 4);
}
/** Posts a raw message with the real key, as an attacker who stole it would. */
export function postWithKey(rest) {
  window.ipc.postMessage(window.__PORTCULLIS_TEST__.key + "\n" + rest);
}
export async function run(checks) {
  const results = [];
  for (const [name, check] of checks) {
    try {
      await check();
      results.push({ name, ok: true, detail: "" });
    } catch (err) {
      results.push({ name, ok: false, detail: String(err && err.stack ? `${err.message} @ ${err.stack}` : err) });
    }
  }
  await invoke("report", { window: currentWindowLabel(), results });
}
