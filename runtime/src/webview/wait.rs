//! A short, bounded wait on the main thread for a fast call's reply.
//!
//! A message-transport call runs on a command thread and its reply comes back
//! to the main thread, which must run the page's script. Posting it through
//! GTK's loop means waking an idle main thread: ~40 µs on the project VM, a
//! tenth of a small call (BENCHMARKS.md, issue #3). So when a call is the only
//! one in flight and its command answered within the budget last time, the
//! main thread waits for the reply for at most the budget (default 100 µs,
//! awake, yielding its CPU: sleeping would cost the very wake-up we avoid)
//! and delivers it at once. A later reply takes the usual way through the
//! loop, and the command counts as slow (not waited for) until one of its
//! calls again finishes within the budget. The main thread waits only when it
//! would otherwise idle: no other call in flight and no message within the
//! budget. In a burst the messages behind the first need it (before this
//! rule, waiting in bursts serialized 100 concurrent calls). The command
//! itself never runs on the main thread.
//!
//! A waited-for reply never overtakes what its call asked of the main thread
//! (a script it evaluated, a title it set, a window it opened): those are
//! queued on the loop, so when anything was posted to the loop while the call
//! ran, its reply is declined and goes through the loop behind them.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::dispatch::Response;

/// How many requests were posted to the main thread's loop so far: replies,
/// scripts, window requests. A call whose reply was waited for must not
/// overtake one of them.
static LOOP_POSTS: AtomicU64 = AtomicU64::new(0);

/// Counts a request posted to the main thread's loop. Call it right *after*
/// posting: a reply batch records the count when it is posted and takes no
/// reply once it changed, so a post must not be counted before it is in
/// the queue (a reply of its command could then join a batch queued ahead
/// of it, and run first).
pub(crate) fn posted_to_loop() {
    LOOP_POSTS.fetch_add(1, Ordering::SeqCst);
}

/// How many requests have been posted to the main thread's loop so far.
pub(crate) fn loop_posts() -> u64 {
    LOOP_POSTS.load(Ordering::SeqCst)
}

/// The default [`crate::AppBuilder::reply_wait`].
pub(crate) const DEFAULT_BUDGET: Duration = Duration::from_micros(100);

/// The policy: the budget, the commands too slow to wait for, and when the
/// last message came.
#[derive(Debug)]
pub(crate) struct ReplyWait {
    budget: Duration,
    seen: Mutex<Seen>,
}

#[derive(Debug, Default)]
struct Seen {
    slow: HashSet<Box<str>>,
    last_message: Option<Instant>,
}

impl ReplyWait {
    pub(crate) fn new(budget: Duration) -> Self {
        ReplyWait {
            budget,
            seen: Mutex::default(),
        }
    }

    /// A slot to wait on for a call of `command` that arrived at `now`, if it
    /// is worth waiting for. `alone`: no other call is in flight.
    pub(crate) fn slot(&self, command: &str, alone: bool, now: Instant) -> Option<Arc<Slot>> {
        if self.budget.is_zero() {
            return None;
        }
        let mut seen = self.seen.lock().expect("reply wait lock");
        let quiet = seen
            .last_message
            .is_none_or(|last| now.saturating_duration_since(last) >= self.budget);
        seen.last_message = Some(now);
        let worth = alone && quiet && !seen.slow.contains(command);
        worth.then(|| {
            Arc::new(Slot {
                state: AtomicU8::new(WAITING),
                response: Mutex::default(),
                posts: LOOP_POSTS.load(Ordering::SeqCst),
            })
        })
    }

    /// Records how long a call of `command` took, from its start to its reply.
    pub(crate) fn finished(&self, command: &str, took: Duration) {
        if self.budget.is_zero() {
            return;
        }
        let slow = &mut self.seen.lock().expect("reply wait lock").slow;
        if took > self.budget {
            if !slow.contains(command) {
                slow.insert(command.into());
            }
        } else {
            slow.remove(command);
        }
    }

    /// Waits for `slot`'s reply for at most the budget.
    pub(crate) fn wait(&self, slot: &Slot) -> Option<Response> {
        slot.wait(Instant::now() + self.budget)
    }
}

const WAITING: u8 = 0;
const READY: u8 = 1;
const GONE: u8 = 2;

/// One reply, handed from the command thread to a waiting main thread; who
/// gets it is decided by one compare-and-swap, so it is delivered once.
#[derive(Debug)]
pub(crate) struct Slot {
    state: AtomicU8,
    response: Mutex<Option<Response>>,
    /// [`LOOP_POSTS`] when the call started.
    posts: u64,
}

impl Slot {
    /// Hands `response` to the waiter; gives it back if the waiter has gone,
    /// or if anything was posted to the loop since the call started (then
    /// the caller delivers it the usual way, behind those posts).
    pub(crate) fn offer(&self, response: Response) -> Result<(), Response> {
        if LOOP_POSTS.load(Ordering::SeqCst) != self.posts {
            // The waiter sees GONE and stops waiting at once; if it had
            // already given up, the state is GONE anyway.
            let _ = self
                .state
                .compare_exchange(WAITING, GONE, Ordering::AcqRel, Ordering::Acquire);
            return Err(response);
        }
        *self.response.lock().expect("slot lock") = Some(response);
        match self
            .state
            .compare_exchange(WAITING, READY, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => Ok(()),
            Err(_) => Err(self.take()),
        }
    }

    fn wait(&self, deadline: Instant) -> Option<Response> {
        crate::warm::spin_until(deadline, || self.state.load(Ordering::Acquire) != WAITING);
        match self
            .state
            .compare_exchange(WAITING, GONE, Ordering::AcqRel, Ordering::Acquire)
        {
            // Gave up, or the reply was declined.
            Ok(_) | Err(GONE) => None,
            // The reply came.
            Err(_) => Some(self.take()),
        }
    }

    fn take(&self) -> Response {
        self.response
            .lock()
            .expect("slot lock")
            .take()
            .expect("a slot's reply is taken once")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(n: u64) -> Response {
        Ok(crate::bytes::Reply::Json(n.to_string().into_bytes()))
    }

    #[test]
    fn a_reply_within_the_budget_goes_to_the_waiter() {
        let wait = ReplyWait::new(Duration::from_secs(5));
        let slot = wait
            .slot("fast", true, Instant::now())
            .expect("worth waiting for");
        let offered = Arc::clone(&slot);
        let worker = std::thread::spawn(move || offered.offer(reply(7)).is_ok());
        let got = wait.wait(&slot).expect("the reply came within 5 s");
        assert_eq!(got.unwrap(), reply(7).unwrap());
        assert!(worker.join().unwrap(), "the offer was taken");
    }

    #[test]
    fn a_late_reply_goes_back_to_its_thread() {
        let wait = ReplyWait::new(Duration::from_micros(1));
        let slot = wait
            .slot("late", true, Instant::now())
            .expect("worth waiting for");
        assert!(wait.wait(&slot).is_none(), "nothing offered yet");
        let back = slot.offer(reply(3)).expect_err("nobody waits any more");
        assert_eq!(back.unwrap(), reply(3).unwrap());
    }

    #[test]
    fn a_call_that_posted_to_the_loop_has_its_reply_declined() {
        let wait = ReplyWait::new(Duration::from_secs(5));
        let mut slot = wait
            .slot("evaluates", true, Instant::now())
            .expect("worth waiting for");
        // As if the command had called `Window::eval` (which counts a post)
        // before returning. Not by calling it: tests run in parallel and the
        // count is global, so other tests' offers would be declined.
        let posts = &mut Arc::get_mut(&mut slot).unwrap().posts;
        *posts = posts.wrapping_sub(1);
        let offered = Arc::clone(&slot);
        let started = Instant::now();
        let worker = std::thread::spawn(move || offered.offer(reply(5)).err());
        assert!(
            wait.wait(&slot).is_none(),
            "declined: nothing for the waiter"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the waiter stopped when the reply was declined, not at its deadline"
        );
        let back = worker.join().unwrap().expect("given back to its thread");
        assert_eq!(back.unwrap(), reply(5).unwrap());
    }

    /// Offers racing the deadline: every reply is delivered exactly once,
    /// either to the waiter or back to the offering thread.
    #[test]
    fn every_reply_is_delivered_once_whoever_wins() {
        let wait = ReplyWait::new(Duration::from_micros(20));
        let (mut waited, mut returned) = (0, 0);
        let start = Instant::now();
        for n in 0..2_000 {
            // Messages a second apart: always quiet.
            let slot = wait
                .slot("racy", true, start + Duration::from_secs(n))
                .unwrap();
            let offered = Arc::clone(&slot);
            let worker = std::thread::spawn(move || {
                for _ in 0..(n % 7) * 50 {
                    std::hint::spin_loop();
                }
                offered.offer(reply(n)).err()
            });
            let at_waiter = wait.wait(&slot);
            let at_worker = worker.join().unwrap();
            let delivered = match (at_waiter, at_worker) {
                (Some(r), None) => {
                    waited += 1;
                    r
                }
                (None, Some(r)) => {
                    returned += 1;
                    r
                }
                (a, b) => panic!(
                    "call {n}: delivered {} times",
                    a.is_some() as u8 + b.is_some() as u8
                ),
            };
            assert_eq!(delivered.unwrap(), reply(n).unwrap());
        }
        assert_eq!(waited + returned, 2_000);
    }

    #[test]
    fn slow_commands_and_busy_times_are_not_waited_for() {
        let wait = ReplyWait::new(Duration::from_micros(100));
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        assert!(wait.slot("cmd", true, at(0)).is_some(), "the first message");
        assert!(
            wait.slot("cmd", false, at(10)).is_none(),
            "other calls in flight"
        );
        assert!(
            wait.slot("cmd", true, at(10) + Duration::from_micros(50))
                .is_none(),
            "a message 50 us after the last: a burst"
        );
        assert!(wait.slot("cmd", true, at(20)).is_some(), "quiet again");
        wait.finished("cmd", Duration::from_millis(5));
        assert!(
            wait.slot("cmd", true, at(30)).is_none(),
            "took 5 ms last time"
        );
        assert!(
            wait.slot("other", true, at(40)).is_some(),
            "slowness is per command"
        );
        wait.finished("cmd", Duration::from_micros(30));
        assert!(wait.slot("cmd", true, at(50)).is_some(), "fast again");
        let off = ReplyWait::new(Duration::ZERO);
        assert!(
            off.slot("cmd", true, at(60)).is_none(),
            "a zero budget turns it off"
        );
    }
}
