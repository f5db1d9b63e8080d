// Types of portcullis-api. Hand-written; kept in step with index.js and
// src/internals.js (CI type-checks test/types/*.ts against it).

/**
 * Stable reason codes of a failed call (new ones may be added). Every code
 * the core can produce is listed (a test compares this list with the core's).
 */
export type IpcErrorCode =
  | "unknown_command"
  | "unknown_event"
  | "invalid_args"
  | "missing_state"
  | "command_error"
  | "panic"
  | "rejected"
  | "invalid_result"
  | "payload_too_large"
  | "too_many_calls"
  | "forbidden"
  | "isolation_required"
  | "isolation_invalid"
  | "isolation_rejected"
  | "isolation_timeout"
  | "cancelled"
  | "internal"
  | (string & {});

/** What every failed `invoke` rejects with. `data` is the command's own error value for `command_error`. */
export declare class IpcError<Data = unknown> extends Error {
  readonly name: "IpcError";
  readonly code: IpcErrorCode;
  /** The command called, when the message got that far. */
  readonly command: string | null;
  /** The JSON key of the offending argument, for `invalid_args`. */
  readonly arg: string | null;
  readonly data: Data | null;
}

export interface InvokeOptions {
  /** Force a transport (default: chosen per call; binary and large calls use "fetch"). */
  transport?: "message" | "fetch";
  /**
   * Cancels the call: on abort it rejects at once with code `cancelled`, and
   * the core drops the command (an async command's future is dropped; a sync
   * command sees its `Cancellation`). Already aborted: nothing is sent.
   * Aborting after the reply does nothing. `AbortSignal.timeout(ms)` gives a
   * timeout.
   */
  signal?: AbortSignal;
}

/** A value that can be sent: JSON, with `Uint8Array`/`ArrayBuffer` as top-level argument values. */
export type InvokeArgs = Record<string, unknown>;

/** Calls the Rust command `cmd`; rejects with `IpcError`. Binary results are `Uint8Array`. */
export declare function invoke<T = unknown>(cmd: string, args?: InvokeArgs, options?: InvokeOptions): Promise<T>;

/** The label of the window this page runs in. */
export declare function currentWindowLabel(): string;

/** An event as a listener receives it. */
export interface Event<T = unknown> {
  /** The event's name. */
  readonly name: string;
  /** The payload, as the core serialized it. */
  readonly payload: T;
  /** The label of the window whose page emitted it; `null` when the core emitted it. */
  readonly source: string | null;
}

/** Removes the listener it was returned for (calling it again does nothing). */
export type UnlistenFn = () => void;

/**
 * Calls `handler` for each event `name` this page receives. Resolves, once
 * the core knows (events it held for this window arrive first), to the
 * function that removes the listener. Rejects with `unknown_event` when the
 * app registered no such event. Listeners are per page: a reload removes them.
 */
export declare function listen<T = unknown>(name: string, handler: (event: Event<T>) => void): Promise<UnlistenFn>;

/** Like `listen`, for the next event `name` only. */
export declare function once<T = unknown>(name: string, handler: (event: Event<T>) => void): Promise<UnlistenFn>;

/**
 * Emits event `name` to the core: its payload is checked like a command's
 * arguments (`invalid_args` names the field), the app's `on_event` listeners
 * run, and every window's page receives it. Resolves when the core accepted it.
 */
export declare function emit(name: string, payload?: unknown): Promise<void>;

/** Like `emit`, but only the page of window `label` receives it (the core's listeners still run). */
export declare function emitTo(label: string, name: string, payload?: unknown): Promise<void>;

/**
 * A stream from a command to this page: pass it as the command's
 * `Channel<T>` argument. `onmessage` receives each value the command sends,
 * in order (`Uint8Array` for `Channel<Bytes>`); the page acknowledges what
 * it took, and the command's `send` waits while too much is unacknowledged.
 * `onclose` runs when the command's side is done (after the data). `close()`
 * stops it: the command's next `send` fails. A call that fails closes the
 * channels passed to it. A reload or navigation ends every channel.
 */
export declare class Channel<T = unknown> {
  constructor(onmessage?: (message: T) => void);
  /** Its id (chosen by this page). */
  readonly id: number;
  onmessage: ((message: T) => void) | null;
  onclose: (() => void) | null;
  /** Whether it ended (closed by either side). */
  readonly closed: boolean;
  close(): void;
  toJSON(): { __portcullisChannel: number };
}
