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

/** Reads `read()` until `ok(value)` or 5 s pass; returns the last value. */
export async function until(read, ok) {
  let last;
  for (let i = 0; i < 200; i++) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  return last;
}

/** The cancellation counters of the e2e apps (their `cancel_stats` command), until `ok`. */
export const untilStats = (ok) => until(() => invoke("cancel_stats"), ok);

export async function run(checks) {
  const results = [];
  for (const [name, check] of checks) {
    const started = performance.now();
    try {
      await check();
      results.push({ name, ok: true, detail: `${Math.round(performance.now() - started)} ms` });
    } catch (err) {
      results.push({ name, ok: false, detail: String(err && err.stack ? `${err.message} @ ${err.stack}` : err) });
    }
  }
  await invoke("report", { window: currentWindowLabel(), results });
}
