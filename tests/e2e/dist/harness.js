// A tiny check runner: each check throws on failure; results go to Rust.
import { invoke, currentWindowLabel } from "/__portcullis__/api.js";

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
