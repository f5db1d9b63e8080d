//! The workbench, end to end, as built (`npm run build`, served from
//! `web/dist`): the real app and its real front end in WebKitGTK, driven
//! through its UI by `driver.js`. `harness = false`: GTK must own the main
//! thread.

mod common;

use std::process::ExitCode;
use std::time::Duration;

use common::Reported;
use portcullis::commands;

fn main() -> ExitCode {
    common::watchdog("workbench ui", Duration::from_secs(120));
    let reported: &'static Reported = Box::leak(Box::default());
    let result = workbench::app()
        .manage(reported)
        .commands(commands![common::ui_report])
        .window(workbench::main_window().initialization_script(include_str!("driver.js")))
        .run();
    if let Err(err) = result {
        println!("FAIL the app ran: {err}");
        return ExitCode::FAILURE;
    }
    let seen = reported.0.lock().unwrap().take();
    common::verdict(seen.as_ref(), &EXPECTED)
}

/// What the driver must have seen.
const EXPECTED: [(&str, &str, &str); 15] = [
    ("the heading comes from title.ts", "title", "Workbench"),
    (
        "an empty name shows the command's typed error",
        "greet_empty",
        "Type a name first.",
    ),
    ("greet answers", "greet", "Hello, Ada!"),
    (
        "the isolation hook refuses a long name",
        "greet_long",
        "~refused by the isolation hook: a name has at most 100 characters",
    ),
    (
        "the job's result is shown",
        "primes",
        "~78,498 primes below 1,000,000",
    ),
    ("the progress bar reached the end", "progress_at_end", "1"),
    (
        "the job-finished event updated the count",
        "jobs_after_one",
        "1",
    ),
    (
        "the event carried the job's result",
        "last_job",
        "~78,498 primes below 1,000,000",
    ),
    (
        "Cancel is enabled while a job runs",
        "cancel_enabled",
        "true",
    ),
    ("Cancel stops the job", "cancelled", "Cancelled."),
    (
        "the cancelled job stopped part way",
        "cancelled_part_done",
        "true",
    ),
    (
        "the hook refuses a limit over the maximum",
        "too_large",
        "~the limit is at most 2,000,000,000",
    ),
    (
        "the inverted image is shown",
        "inverted",
        "Inverted 76,800 bytes.",
    ),
    ("the pixels came back inverted", "pixel_inverted", "true"),
    (
        "the cancelled job was not counted by the core",
        "jobs_done",
        "1",
    ),
];
