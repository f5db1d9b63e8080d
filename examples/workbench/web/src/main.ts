// The workbench front end. Every call goes through the bindings generated
// from the Rust commands (./bindings.ts), so arguments, results and each
// command's own errors are typed.
import { Channel, IpcError } from "portcullis-api";
import {
  countPrimes,
  events,
  greet,
  invert,
  isCountPrimesError,
  isGreetError,
  isInvertError,
  jobsDone,
} from "./bindings";
import { title } from "./title";

function element<T extends HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (found === null) throw new Error(`no ${selector} in the page`);
  return found;
}

/** What an error says to a person: the command's own errors get their own words. */
function describe(error: unknown): string {
  if (error instanceof IpcError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

// --- The heading: hot-reloaded in place when title.ts changes. ---
function showTitle(text: string) {
  element<HTMLHeadingElement>("#title").textContent = text;
}
showTitle(title);
if (import.meta.hot) {
  import.meta.hot.accept("./title", (module) => {
    if (module) showTitle(module.title);
  });
}

// --- Greet: a typed result and a typed error. ---
const greeting = element<HTMLParagraphElement>("#greeting");
element<HTMLFormElement>("#greet").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    greeting.textContent = await greet(element<HTMLInputElement>("#name").value);
  } catch (error) {
    greeting.textContent =
      isGreetError(error) && error.data.kind === "empty_name" ? "Type a name first." : describe(error);
  }
});

// --- Count primes: progress through a channel, Cancel through an AbortSignal. ---
const start = element<HTMLButtonElement>("#start");
const cancel = element<HTMLButtonElement>("#cancel");
const progressBar = element<HTMLProgressElement>("#progress");
const result = element<HTMLParagraphElement>("#result");
let running: AbortController | null = null;

element<HTMLFormElement>("#primes").addEventListener("submit", async (event) => {
  event.preventDefault();
  const limit = Number(element<HTMLInputElement>("#limit").value);
  running = new AbortController();
  start.disabled = true;
  cancel.disabled = false;
  progressBar.value = 0;
  result.textContent = "Counting…";
  const progress = new Channel<{ done: number; total: number }>(({ done, total }) => {
    progressBar.value = total === 0 ? 1 : done / total;
  });
  try {
    const count = await countPrimes(limit, progress, { signal: running.signal });
    result.textContent = `${count.primes.toLocaleString("en")} primes below ${count.limit.toLocaleString("en")} (${count.millis} ms)`;
  } catch (error) {
    if (error instanceof IpcError && error.code === "cancelled") {
      result.textContent = "Cancelled.";
    } else if (isCountPrimesError(error)) {
      result.textContent = `Too large: at most ${error.data.max.toLocaleString("en")}.`;
    } else {
      result.textContent = describe(error);
    }
  } finally {
    running = null;
    start.disabled = false;
    cancel.disabled = true;
  }
});
cancel.addEventListener("click", () => running?.abort());

// --- Jobs finished: an event the core pushes to every window. ---
const jobs = element<HTMLOutputElement>("#jobs");
await events.jobFinished.listen(({ payload }) => {
  jobs.value = String(payload.jobsDone);
  element<HTMLSpanElement>("#last-job").textContent =
    `(last: ${payload.primes.toLocaleString("en")} primes below ${payload.limit.toLocaleString("en")})`;
});
jobs.value = String(await jobsDone());

// --- Invert: raw bytes to the core and back. ---
const canvas = element<HTMLCanvasElement>("#image");
const context = canvas.getContext("2d");
if (context === null) throw new Error("no 2D canvas");
const gradient = context.createLinearGradient(0, 0, canvas.width, canvas.height);
gradient.addColorStop(0, "#0969da");
gradient.addColorStop(1, "#ffd33d");
context.fillStyle = gradient;
context.fillRect(0, 0, canvas.width, canvas.height);
const imageStatus = element<HTMLParagraphElement>("#image-status");
element<HTMLButtonElement>("#invert").addEventListener("click", async () => {
  const image = context.getImageData(0, 0, canvas.width, canvas.height);
  try {
    const inverted = await invert(new Uint8Array(image.data.buffer));
    image.data.set(inverted);
    context.putImageData(image, 0, 0);
    imageStatus.textContent = `Inverted ${inverted.length.toLocaleString("en")} bytes.`;
  } catch (error) {
    imageStatus.textContent = isInvertError(error) ? `Not RGBA: ${error.data.len} bytes.` : describe(error);
  }
});

document.body.dataset.ready = "1";
