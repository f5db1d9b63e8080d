// Drives the workbench UI as a person would (types, clicks, waits for what
// the page shows), then reports what it saw to the test. Injected as a window
// initialization script by tests/ui.rs; tests/hot.rs adds its own steps
// through `window.__workbenchHot`.
window.addEventListener("DOMContentLoaded", async () => {
  const { invoke } = window.__PORTCULLIS_INTERNALS__;
  const seen = {};
  const problems = [];
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const $ = (s) => document.querySelector(s);
  async function until(ok, what) {
    for (let i = 0; i < 1200; i++) { if (ok()) return true; await sleep(25); }
    problems.push("timed out waiting for: " + what);
    return false;
  }
  async function submit(form, input, value, done) {
    $(input).value = value;
    $(form).requestSubmit();
    await until(done, `${form} with ${String(value).slice(0, 20)}`);
  }
  try {
    await until(() => document.body.dataset.ready === "1", "the page to be ready");
    seen.title = $("#title").textContent;

    // Greet: a result, the command's typed error, the isolation hook's refusal.
    await submit("#greet", "#name", "", () => $("#greeting").textContent !== "");
    seen.greet_empty = $("#greeting").textContent;
    await submit("#greet", "#name", "Ada", () => $("#greeting").textContent.startsWith("Hello"));
    seen.greet = $("#greeting").textContent;
    await submit("#greet", "#name", "x".repeat(150), () => $("#greeting").textContent.includes("refused"));
    seen.greet_long = $("#greeting").textContent;

    // A job to the end: the result, and the event every window gets.
    await submit("#primes", "#limit", 1000000, () => $("#result").textContent.includes("primes below"));
    seen.primes = $("#result").textContent;
    await until(() => $("#jobs").value === "1", "the job-finished event");
    seen.jobs_after_one = $("#jobs").value;
    seen.last_job = $("#last-job").textContent;
    seen.progress_at_end = String($("#progress").value);

    if (window.__workbenchHot) await window.__workbenchHot(seen, problems, { until, $, invoke });

    // A long job, cancelled once it has made progress.
    await submit("#primes", "#limit", 2000000000, () => $("#progress").value > 0);
    seen.cancel_enabled = String(!$("#cancel").disabled);
    $("#cancel").click();
    await until(() => $("#result").textContent === "Cancelled.", "the cancellation");
    seen.cancelled = $("#result").textContent;
    seen.cancelled_part_done = String($("#progress").value > 0 && $("#progress").value < 1);
    await submit("#primes", "#limit", 3000000000, () => $("#result").textContent.includes("refused"));
    seen.too_large = $("#result").textContent;

    // Binary: the canvas's pixels go to the core and come back inverted.
    const context = $("#image").getContext("2d");
    const before = [...context.getImageData(10, 10, 1, 1).data];
    $("#invert").click();
    await until(() => $("#image-status").textContent.startsWith("Inverted"), "the inverted image");
    const after = [...context.getImageData(10, 10, 1, 1).data];
    seen.inverted = $("#image-status").textContent;
    seen.pixel_inverted = String(before.slice(0, 3).every((c, i) => after[i] === 255 - c) && after[3] === before[3]);

    // The cancelled job never finished: the core counted one job.
    seen.jobs_done = String(await invoke("jobs_done", {}));
  } catch (err) {
    problems.push("driver error: " + (err && err.message ? err.message : String(err)));
  }
  seen.problems = problems.join("; ");
  await invoke("ui_report", { seen });
});
