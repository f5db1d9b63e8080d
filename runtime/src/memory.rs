//! Giving memory back to the OS after large messages (issue #17).
//!
//! A page can make the core allocate a lot for one message: a 200 MiB
//! argument it then refuses, a million small keys it decodes. Rust frees all
//! of it at once, but glibc's allocator keeps freed memory in its arenas
//! (one per thread that allocated: the blocking pool has many) for reuse, so
//! the core's RSS stayed ~150 MiB above where it started after one such
//! message (FUZZING.md has the numbers). `malloc_trim` hands the free pages
//! back, in every arena.
//!
//! So: every message of [`LARGE`] bytes or more, when the gate has looked at
//! it and again when its call has ended, schedules one trim on a thread of
//! its own, once no large message has been seen for [`QUIET`] (or at the
//! latest [`LONGEST`] after the first, under a steady stream). A closed
//! window schedules one too. Small
//! messages never trim: a flood of small calls frees memory glibc reuses at
//! once, and a trim takes the arena locks.
//!
//! This is the one `unsafe` in the workspace: a call of a glibc function
//! that takes an integer and touches no memory of ours. Elsewhere (other C
//! libraries, other platforms) [`after_large`] does nothing.

use std::sync::OnceLock;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// Messages of this many bytes or more schedule a trim.
pub(crate) const LARGE: usize = 1 << 20;
/// How long after the last large message the trim runs.
const QUIET: Duration = Duration::from_millis(250);
/// The longest a trim waits under a steady stream of large messages.
const LONGEST: Duration = Duration::from_secs(2);

/// Notes that a message of `bytes` was handled (refused, or its call ended).
pub(crate) fn after_large(bytes: usize) {
    if bytes >= LARGE {
        soon();
    }
}

/// Schedules a trim: for a large message, or a closed window (its web
/// view's structures in this process are freed).
pub(crate) fn soon() {
    if !cfg!(all(target_os = "linux", target_env = "gnu")) {
        return;
    }
    static TRIMMER: OnceLock<Option<Sender<()>>> = OnceLock::new();
    let trimmer = TRIMMER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("portcullis-trim".into())
            .spawn(move || {
                // Each loop: the first large message, then quiet, then a trim.
                while rx.recv().is_ok() {
                    let first = Instant::now();
                    loop {
                        match rx.recv_timeout(QUIET) {
                            Ok(()) if first.elapsed() < LONGEST => continue,
                            Ok(()) | Err(RecvTimeoutError::Timeout) => break,
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                    trim();
                }
            })
            .ok()
            .map(|_| tx)
    });
    if let Some(tx) = trimmer {
        let _ = tx.send(());
    }
}

/// Hands the free memory of every glibc arena back to the OS.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn trim() {
    let started = Instant::now();
    // SAFETY: `malloc_trim` takes a plain integer (the padding to keep at
    // the top of the heap) and reads or writes no memory we own; glibc
    // takes each arena's lock itself, so other threads may allocate
    // meanwhile.
    let released = unsafe { libc::malloc_trim(0) };
    tracing::debug!(
        released = released != 0,
        took_us = started.elapsed().as_micros() as u64,
        "returned free memory to the OS after a large message"
    );
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() {}
