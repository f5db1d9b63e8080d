//! One command thread kept awake between calls.
//!
//! A sync command runs on tokio's blocking pool, whose idle threads sleep,
//! and an async one on a tokio worker, which sleeps when idle too. Handing a
//! call to a sleeping thread means waking it, and on a VM waking a thread
//! that sleeps on another CPU costs tens of microseconds, a large part of a
//! small call (BENCHMARKS.md, issue #19: the same twin ran its small calls
//! twice as fast pinned to one CPU). So one thread, the warm thread, waits
//! for the next call: awake, yielding its CPU, for a short spell after each
//! call it ran (default 500 µs: longer than a small call's round trip
//! through the page), then asleep. A call that comes while it waits is
//! handed over, without a wake-up if it is awake (asleep, it is woken: the
//! same cost as the pool). Calls in a steady sequence keep it awake; an app
//! that makes no calls costs nothing.
//!
//! A sync call runs there to the end. An async call gets its first poll
//! there ([`Warm::start`]): a command that answers without waiting is done,
//! and one that waits (a timer, I/O, a lock) goes on as a tokio task. So
//! the first poll of an async command may run outside a tokio task (with
//! the runtime entered: `tokio::spawn`, timers and I/O work;
//! `tokio::task::id()` does not, `try_id()` says `None`).
//!
//! While the warm thread runs a call, the role is free: other calls go to
//! the pool (or tokio), and the first thread back from its call (see
//! [`Role::serve`]) waits again. A call that runs long (a file copy, a
//! command that loops until cancelled) must not leave the app without a
//! warm thread: when the role has been free for [`REPLACE_AFTER`], the next
//! call also starts a new warm thread, and the old one ends when its call
//! does. The threads are our own, not the pool's: a waiting thread never
//! holds up the runtime's shutdown, and it ends when the app's core goes.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Waker};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// The default [`crate::AppBuilder::warm_spell`].
#[cfg_attr(not(feature = "webview"), allow(dead_code))]
pub(crate) const DEFAULT_SPELL: Duration = Duration::from_micros(500);

/// How long the role may stay free (its thread running one call) before
/// another warm thread is started: a thread start costs a few tens of
/// microseconds, next to a call that ran this long.
const REPLACE_AFTER: Duration = Duration::from_millis(5);

type Job = Box<dyn FnOnce() + Send>;

/// Nobody waits: calls go to the pool.
const FREE: u8 = 0;
/// A thread waits, awake.
const WAITING: u8 = 1;
/// A thread waits, asleep: a caller wakes it.
const ASLEEP: u8 = 2;
/// A caller took the waiting thread and is putting its job in.
const CLAIMED: u8 = 3;
/// The job is in.
const HANDED: u8 = 4;
/// The app is gone: the thread runs what it was handed, if anything, and ends.
const CLOSED: u8 = 5;

/// Where sync commands run: the warm thread when it waits, else the
/// blocking pool of `runtime`.
#[derive(Debug, Default)]
pub(crate) struct Warm {
    /// Zero: no warm thread, every call goes to the pool.
    spell: Duration,
    role: OnceLock<Arc<Role>>,
}

/// The warm thread's role, held by at most one thread at a time.
struct Role {
    state: AtomicU8,
    job: Mutex<Option<Job>>,
    /// The thread that holds the role (to wake it).
    holder: Mutex<Option<Thread>>,
    /// When the role was last freed (its thread took a call), in
    /// nanoseconds since `epoch`: read by every call that finds the role
    /// free, so no lock.
    freed: AtomicU64,
    epoch: Instant,
    /// A new warm thread is starting.
    starting: AtomicBool,
    spell: Duration,
    runtime: tokio::runtime::Handle,
}

impl std::fmt::Debug for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Role")
            .field("state", &self.state.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Warm {
    pub(crate) fn new(spell: Duration) -> Self {
        Warm {
            spell,
            role: OnceLock::new(),
        }
    }

    /// Runs `job` on the warm thread if it waits (then `true`), else on
    /// `runtime`'s blocking pool.
    pub(crate) fn run(
        &self,
        runtime: &tokio::runtime::Handle,
        job: impl FnOnce() + Send + 'static,
    ) -> bool {
        match self.claim(runtime) {
            Some(claim) => {
                claim.give(Box::new(job));
                true
            }
            None => {
                runtime.spawn_blocking(job);
                false
            }
        }
    }

    /// Starts `task` (an async call) on the warm thread if it waits (then
    /// `true`): its first poll runs there, and only if that leaves it
    /// pending does the rest go to `runtime` as a task, whose first poll
    /// picks up whatever the first one waited for. A command that answers
    /// without waiting (most small ones) thus never wakes a tokio worker.
    /// Else `task` is spawned on `runtime` as it is.
    pub(crate) fn start(
        &self,
        runtime: &tokio::runtime::Handle,
        task: impl Future<Output = ()> + Send + 'static,
    ) -> bool {
        let Some(claim) = self.claim(runtime) else {
            runtime.spawn(task);
            return false;
        };
        let runtime = runtime.clone();
        claim.give(Box::new(move || {
            let mut task = Box::pin(task);
            // Nobody is woken: a task that is not done is spawned at once,
            // and tokio polls it again then.
            let mut cx = Context::from_waker(Waker::noop());
            if task.as_mut().poll(&mut cx).is_pending() {
                runtime.spawn(task);
            }
        }));
        true
    }

    /// Takes the waiting warm thread, if one waits; the caller must
    /// [`Claim::give`] it its job at once (it spins until then).
    fn claim(&self, runtime: &tokio::runtime::Handle) -> Option<Claim<'_>> {
        if self.spell.is_zero() {
            return None;
        }
        let role = self.role.get_or_init(|| {
            let role = Arc::new(Role {
                state: AtomicU8::new(FREE),
                job: Mutex::default(),
                holder: Mutex::default(),
                freed: AtomicU64::new(0),
                epoch: Instant::now(),
                starting: AtomicBool::new(false),
                spell: self.spell,
                runtime: runtime.clone(),
            });
            role.replace();
            role
        });
        let took = role
            .state
            .compare_exchange(WAITING, CLAIMED, Ordering::AcqRel, Ordering::Acquire)
            .or_else(|_| {
                role.state
                    .compare_exchange(ASLEEP, CLAIMED, Ordering::AcqRel, Ordering::Acquire)
            });
        match took {
            Ok(was) => Some(Claim { role, was }),
            Err(state) => {
                if state == FREE && role.free_for() >= REPLACE_AFTER {
                    role.replace();
                }
                None
            }
        }
    }
}

/// The waiting warm thread, taken by one caller.
#[must_use = "a claimed warm thread spins until it is given its job"]
struct Claim<'a> {
    role: &'a Arc<Role>,
    /// WAITING or ASLEEP.
    was: u8,
}

impl Claim<'_> {
    fn give(self, job: Job) {
        *self.role.job.lock().expect("warm job lock") = Some(job);
        self.role.state.store(HANDED, Ordering::Release);
        if self.was == ASLEEP {
            self.role.wake();
        }
    }
}

impl Drop for Warm {
    /// Ends the waiting thread (one that runs a call ends after it).
    fn drop(&mut self) {
        if let Some(role) = self.role.get()
            && role.state.swap(CLOSED, Ordering::AcqRel) == ASLEEP
        {
            role.wake();
        }
    }
}

impl Role {
    fn mark_freed(&self) {
        let now = u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.freed.store(now, Ordering::Relaxed);
    }

    /// How long since the role was last freed.
    fn free_for(&self) -> Duration {
        self.epoch
            .elapsed()
            .saturating_sub(Duration::from_nanos(self.freed.load(Ordering::Relaxed)))
    }

    /// Wakes the thread that holds the role (it sleeps when it was ASLEEP).
    fn wake(&self) {
        if let Some(thread) = &*self.holder.lock().expect("warm holder lock") {
            thread.unpark();
        }
    }

    /// Starts a new warm thread, unless one is starting.
    fn replace(self: &Arc<Self>) {
        if self.starting.swap(true, Ordering::AcqRel) {
            return;
        }
        let role = Arc::clone(self);
        let spawned = std::thread::Builder::new()
            .name("portcullis-warm".into())
            .spawn(move || {
                // Sync commands may use the runtime (`Handle::current`), as
                // on the blocking pool.
                let _runtime = role.runtime.enter();
                role.starting.store(false, Ordering::Release);
                role.serve();
            });
        if let Err(err) = spawned {
            self.starting.store(false, Ordering::Release);
            // Tried again REPLACE_AFTER from now, not on every call.
            self.mark_freed();
            tracing::warn!(%err, "no warm command thread; calls start on the blocking pool and tokio's workers");
        }
    }

    /// Takes the role if it is free and runs the calls handed over; ends
    /// when, back from a call, it finds another thread holding the role.
    fn serve(&self) {
        while self
            .state
            .compare_exchange(FREE, WAITING, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            // Before it can fall asleep: a caller wakes whoever is here.
            *self.holder.lock().expect("warm holder lock") = Some(std::thread::current());
            let handed = self.await_job();
            let job = self.job.lock().expect("warm job lock").take();
            if !handed {
                // Closed; a job handed over just before still runs.
                if let Some(job) = job {
                    let _ = panic::catch_unwind(AssertUnwindSafe(job));
                }
                return;
            }
            let job = job.expect("a handed-over call has its job");
            self.mark_freed();
            self.state.store(FREE, Ordering::Release);
            // A command's panic is caught inside its job; this keeps the
            // thread serving whatever else a job might throw.
            let _ = panic::catch_unwind(AssertUnwindSafe(job));
        }
    }

    /// Returns once a job is handed over (`true`) or the app is gone:
    /// awake for the spell, then asleep until a caller wakes it.
    fn await_job(&self) -> bool {
        spin_until(Instant::now() + self.spell, || {
            self.state.load(Ordering::Acquire) != WAITING
        });
        // Fails if a caller took it meanwhile.
        let _ = self
            .state
            .compare_exchange(WAITING, ASLEEP, Ordering::AcqRel, Ordering::Acquire);
        loop {
            match self.state.load(Ordering::Acquire) {
                HANDED => return true,
                CLOSED => return false,
                // A caller is putting its job in.
                CLAIMED => std::hint::spin_loop(),
                _ => std::thread::park(),
            }
        }
    }
}

/// Waits, awake, until `done` or `deadline`. The thread stays runnable, so
/// its CPU does not go idle (the wake-up the caller avoids), but yields:
/// other threads on this CPU run first. Also the reply wait's
/// (`webview::wait`).
pub(crate) fn spin_until(deadline: Instant, done: impl Fn() -> bool) {
    while !done() && Instant::now() < deadline {
        std::thread::yield_now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("pool")
            .build()
            .unwrap()
    }

    /// Waits until a warm thread waits for a call (as a page's next call
    /// comes a while after the reply).
    fn until_waiting(warm: &Warm) {
        let state = &warm.role.get().expect("started").state;
        let deadline = Instant::now() + Duration::from_secs(5);
        while !matches!(state.load(Ordering::Acquire), WAITING | ASLEEP) {
            assert!(Instant::now() < deadline, "no warm thread came to wait");
            std::thread::yield_now();
        }
    }

    fn thread_name() -> String {
        std::thread::current().name().unwrap_or("").to_owned()
    }

    /// Runs a job that says where it ran; whether it was handed over, and
    /// the thread's name.
    fn where_runs(warm: &Warm, rt: &tokio::runtime::Runtime) -> (bool, String) {
        let (tx, rx) = mpsc::channel();
        let handed = warm.run(rt.handle(), move || tx.send(thread_name()).unwrap());
        (handed, rx.recv_timeout(Duration::from_secs(5)).unwrap())
    }

    /// `calls` calls one after another, each handed to the warm thread.
    fn handed_in_turn(warm: &Warm, rt: &tokio::runtime::Runtime, calls: usize) {
        for n in 0..calls {
            assert_eq!(
                where_runs(warm, rt),
                (true, "portcullis-warm".into()),
                "call {n}"
            );
            until_waiting(warm);
        }
    }

    /// A runtime and a warm thread that waits (the first call goes to the
    /// pool while the thread starts).
    fn started(spell: Duration) -> (tokio::runtime::Runtime, Warm) {
        let rt = runtime();
        let warm = Warm::new(spell);
        where_runs(&warm, &rt);
        until_waiting(&warm);
        (rt, warm)
    }

    #[test]
    fn calls_in_sequence_are_handed_to_the_warm_thread() {
        let (rt, warm) = started(Duration::from_millis(50));
        handed_in_turn(&warm, &rt, 200);
    }

    #[test]
    fn a_sleeping_warm_thread_is_woken() {
        let (rt, warm) = started(Duration::from_micros(1));
        // Long past its spell: asleep.
        std::thread::sleep(Duration::from_millis(20));
        let state = warm.role.get().unwrap().state.load(Ordering::Acquire);
        assert_eq!(state, ASLEEP);
        assert_eq!(where_runs(&warm, &rt), (true, "portcullis-warm".into()));
    }

    #[test]
    fn a_long_call_does_not_keep_the_warm_thread_from_the_next_ones() {
        let (rt, warm) = started(Duration::from_millis(50));
        let (release, held) = mpsc::channel::<()>();
        assert!(
            warm.run(rt.handle(), move || held.recv().unwrap()),
            "handed over"
        );
        // While it runs: the pool.
        assert_eq!(where_runs(&warm, &rt), (false, "pool".into()));
        // After REPLACE_AFTER, a call also starts a new warm thread (this
        // one, or the one above on a slow machine).
        std::thread::sleep(REPLACE_AFTER * 2);
        where_runs(&warm, &rt);
        until_waiting(&warm);
        handed_in_turn(&warm, &rt, 10);
        // The long call ends; its thread finds the role taken and ends too,
        // and calls are still handed over.
        release.send(()).unwrap();
        std::thread::sleep(Duration::from_millis(10));
        handed_in_turn(&warm, &rt, 10);
    }

    #[test]
    fn a_job_that_panics_does_not_stop_the_warm_thread() {
        let (rt, warm) = started(Duration::from_millis(50));
        assert!(warm.run(rt.handle(), || panic!("a job that throws")));
        until_waiting(&warm);
        handed_in_turn(&warm, &rt, 1);
    }

    #[test]
    fn the_warm_thread_ends_with_the_app() {
        for spell in [Duration::from_secs(5), Duration::from_micros(1)] {
            let (rt, warm) = started(spell);
            // Awake, then asleep.
            std::thread::sleep(Duration::from_millis(20));
            let role = Arc::clone(warm.role.get().unwrap());
            drop(warm);
            let deadline = Instant::now() + Duration::from_secs(5);
            // The thread's clone goes when it ends.
            while Arc::strong_count(&role) > 1 {
                assert!(Instant::now() < deadline, "the warm thread lives on");
                std::thread::sleep(Duration::from_millis(1));
            }
            drop(rt);
        }
    }

    /// Starts an async task that says on which threads it ran: where its
    /// first poll ran and where it finished (after `wait`).
    fn where_starts(
        warm: &Warm,
        rt: &tokio::runtime::Runtime,
        wait: impl Future<Output = ()> + Send + 'static,
    ) -> (bool, String, String) {
        let (tx, rx) = mpsc::channel();
        let handed = warm.start(rt.handle(), async move {
            let first = thread_name();
            wait.await;
            tx.send((first, thread_name())).unwrap();
        });
        let (first, last) = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        (handed, first, last)
    }

    #[test]
    fn an_async_call_that_does_not_wait_runs_on_the_warm_thread() {
        let (rt, warm) = started(Duration::from_millis(50));
        for n in 0..50 {
            let ran = where_starts(&warm, &rt, async {});
            assert_eq!(
                ran,
                (true, "portcullis-warm".into(), "portcullis-warm".into()),
                "call {n}"
            );
            until_waiting(&warm);
        }
    }

    #[test]
    fn an_async_call_that_waits_goes_on_as_a_task() {
        let (rt, warm) = started(Duration::from_millis(50));
        // Woken after its first poll, from another thread.
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let waker = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            tx.send(()).unwrap();
        });
        let ran = where_starts(&warm, &rt, async move { rx.await.unwrap() });
        assert_eq!(ran, (true, "portcullis-warm".into(), "pool".into()));
        waker.join().unwrap();
        // Woken between its first poll and its spawn (or during the first
        // poll, or after): however the race falls, the wake-up is not lost.
        for n in 0..200 {
            until_waiting(&warm);
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            let (handed, first, _) = where_starts(&warm, &rt, async move {
                std::thread::spawn(move || tx.send(()).unwrap());
                rx.await.unwrap()
            });
            assert!(handed && first == "portcullis-warm", "call {n}: {first}");
        }
        // The warm thread is busy: the task goes to the runtime as it is.
        until_waiting(&warm);
        let (release, held) = mpsc::channel::<()>();
        assert!(warm.run(rt.handle(), move || held.recv().unwrap()));
        let ran = where_starts(&warm, &rt, async {});
        assert_eq!(ran, (false, "pool".into(), "pool".into()));
        release.send(()).unwrap();
    }

    #[test]
    fn a_zero_spell_uses_the_pool_only() {
        let rt = runtime();
        let warm = Warm::new(Duration::ZERO);
        for _ in 0..5 {
            assert_eq!(where_runs(&warm, &rt), (false, "pool".into()));
            let ran = where_starts(&warm, &rt, async {});
            assert_eq!(ran, (false, "pool".into(), "pool".into()));
        }
        assert!(warm.role.get().is_none(), "no warm thread");
    }
}
