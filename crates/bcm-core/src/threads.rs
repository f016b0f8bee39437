//! How many threads an analysis may use, and the pools that run them (DESIGN §6).
//!
//! The caller decides: [`Threads`] is a setting of each [`Analyzer`](crate::Analyzer), read by
//! default from `BCM_NUM_THREADS` (else the machine's parallelism). One thread means none at
//! all: the work runs on the caller's thread and no pool is ever created. Otherwise the work
//! runs on a pool the library owns (never rayon's global pool, which a host may use or size for
//! itself), one per size, created on first use and kept for the process.
//!
//! `fork()` copies a process with one thread: the child has the parent's pools but none of their
//! threads, and work handed to them would wait forever. Each pool remembers the process that
//! created it; a child finds the process changed and builds its own (the parent's are left as
//! they are: their threads are not the child's to stop).

use std::cell::RefCell;
use std::num::NonZeroUsize;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rayon::{ThreadPool, ThreadPoolBuilder};

/// The environment variable that sets the default [`Threads`].
pub const ENV: &str = "BCM_NUM_THREADS";

/// The most threads one analysis may use.
pub const MAX_THREADS: usize = 1024;

/// How many threads an analysis may use; 1 means none besides the caller's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Threads(NonZeroUsize);

/// A thread count out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("threads must be between 1 and {MAX_THREADS}, not {0}")]
pub struct ThreadsError(pub u64);

impl Threads {
    /// Exactly one thread: the caller's.
    pub const ONE: Threads = Threads(NonZeroUsize::MIN);

    /// `count` threads.
    ///
    /// # Errors
    /// [`ThreadsError`] unless `1 ≤ count ≤` [`MAX_THREADS`].
    pub fn new(count: u64) -> Result<Self, ThreadsError> {
        usize::try_from(count)
            .ok()
            .filter(|&c| c <= MAX_THREADS)
            .and_then(NonZeroUsize::new)
            .map(Threads)
            .ok_or(ThreadsError(count))
    }

    /// The default: `BCM_NUM_THREADS` if it holds a valid count, else the machine's available
    /// parallelism (at most [`MAX_THREADS`]).
    pub fn from_env() -> Self {
        std::env::var(ENV)
            .ok()
            .and_then(|text| text.trim().parse::<u64>().ok())
            .and_then(|count| Threads::new(count).ok())
            .unwrap_or_else(Threads::machine)
    }

    /// The machine's available parallelism (1 if unknown).
    pub fn machine() -> Self {
        let count = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        Threads::new(count.min(MAX_THREADS) as u64).unwrap_or(Threads::ONE)
    }

    /// The count.
    pub fn get(self) -> usize {
        self.0.get()
    }

    /// Runs `work` with this many threads: on the caller's thread for one (`work(false)`), else
    /// inside the library's pool of that size (`work(true)`, where rayon's parallel iterators
    /// use that pool). A pool that cannot be created (no threads left) also runs `work(false)`.
    ///
    /// If the caller installed a poll ([`polling`]), it keeps being called on the caller's
    /// thread while the pool works, and `cancel` is requested when it says so.
    pub(crate) fn run<R: Send>(self, cancel: &Cancel, work: impl FnOnce(bool) -> R + Send) -> R {
        if self.get() == 1 {
            return work(false);
        }
        let Some(pool) = pool(self.get()) else {
            return work(false);
        };
        if !POLL.with(|poll| poll.borrow().is_some()) {
            return pool.install(|| work(true));
        }
        // The caller's thread polls while a helper thread waits for the pool.
        std::thread::scope(|scope| {
            let helper = scope.spawn(|| pool.install(|| work(true)));
            while !helper.is_finished() {
                std::thread::sleep(POLL_EVERY);
                poll_here(cancel);
            }
            match helper.join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    }
}

impl Default for Threads {
    fn default() -> Self {
        Threads::from_env()
    }
}

/// A request to stop long work (a simulation, a Monte Carlo estimate) early, shared between
/// the caller and the analyses it starts. Work checks it between chunks of iterations and then
/// returns its `Cancelled` error; requesting is one atomic store, safe from a signal handler
/// and from any thread.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A token nobody has requested yet.
    pub fn new() -> Self {
        Cancel::default()
    }

    /// Asks the work watching this token to stop.
    pub fn request(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether stopping was asked.
    pub fn is_requested(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Withdraws the request, for the next piece of work.
    pub fn reset(&self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

/// How far long work has come, for a caller's progress bar: the current stage's name, the
/// units of work it has and the units done. Work sets it ([`Progress::begin`], then
/// [`Progress::advance`] from any thread); a caller reads it, typically from its poll
/// ([`polling`]), which runs on its own thread while the work goes on.
#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<ProgressState>);

#[derive(Debug, Default)]
struct ProgressState {
    stage: Mutex<&'static str>,
    total: std::sync::atomic::AtomicU64,
    done: std::sync::atomic::AtomicU64,
}

impl Progress {
    /// A progress with no stage yet.
    pub fn new() -> Self {
        Progress::default()
    }

    /// Starts a stage of `total` units.
    pub fn begin(&self, stage: &'static str, total: u64) {
        *self.0.stage.lock().unwrap_or_else(PoisonError::into_inner) = stage;
        self.0.done.store(0, Ordering::Relaxed);
        self.0.total.store(total, Ordering::Relaxed);
    }

    /// Counts `units` more done.
    pub fn advance(&self, units: u64) {
        self.0.done.fetch_add(units, Ordering::Relaxed);
    }

    /// The current stage, the units done and the units in all.
    pub fn get(&self) -> (&'static str, u64, u64) {
        let stage = *self.0.stage.lock().unwrap_or_else(PoisonError::into_inner);
        let total = self.0.total.load(Ordering::Relaxed);
        (stage, self.0.done.load(Ordering::Relaxed).min(total), total)
    }
}

/// How often a caller's poll runs during long work.
const POLL_EVERY: Duration = Duration::from_millis(20);

/// A caller's poll: true means "stop".
pub type Poll = Rc<dyn Fn() -> bool>;

thread_local! {
    /// The poll installed on this thread by [`polling`], and when it last ran.
    static POLL: RefCell<Option<(Poll, Instant)>> = const { RefCell::new(None) };
}

/// Runs `f` with `poll` installed on the calling thread: long work started by `f` (simulations,
/// Monte Carlo availability) calls it on this thread every few tens of milliseconds, and stops
/// with its `Cancelled` error once it returns true (requesting the analyzer's [`Cancel`]).
///
/// This is how a binding honours Ctrl-C: Python delivers signals to the main thread only, so
/// `PyErr_CheckSignals` must be called there, between chunks of the work.
pub fn polling<R>(poll: Poll, f: impl FnOnce() -> R) -> R {
    let previous = POLL.with(|slot| slot.borrow_mut().replace((poll, Instant::now())));
    let result = f();
    POLL.with(|slot| *slot.borrow_mut() = previous);
    result
}

/// Calls this thread's poll, if one is installed and it has not run for [`POLL_EVERY`];
/// requests `cancel` when it says to stop. Returns whether `cancel` is requested.
pub(crate) fn poll_here(cancel: &Cancel) -> bool {
    if !cancel.is_requested() {
        let poll = POLL.with(|slot| {
            let mut slot = slot.borrow_mut();
            match slot.as_mut() {
                Some((poll, last)) if last.elapsed() >= POLL_EVERY => {
                    *last = Instant::now();
                    Some(Rc::clone(poll))
                }
                _ => None,
            }
        });
        if poll.is_some_and(|poll| poll()) {
            cancel.request();
        }
    }
    cancel.is_requested()
}

/// The pools created so far: (process, size, pool).
static POOLS: Mutex<Vec<(u32, usize, Arc<ThreadPool>)>> = Mutex::new(Vec::new());

/// Pools inherited from a parent process through `fork()`: their threads are not in this
/// process, so they are kept (reachable, for leak checkers) and never touched.
static ORPHANS: Mutex<Vec<Arc<ThreadPool>>> = Mutex::new(Vec::new());

/// The library's pool of `size` threads for this process.
fn pool(size: usize) -> Option<Arc<ThreadPool>> {
    let process = std::process::id();
    {
        let mut pools = POOLS.lock().unwrap_or_else(PoisonError::into_inner);
        if pools.iter().any(|&(owner, ..)| owner != process) {
            // A forked child: the parent's pools have no threads here. Dropping one would
            // signal threads that do not exist, so they are set aside, never used or dropped.
            let mut orphans = ORPHANS.lock().unwrap_or_else(PoisonError::into_inner);
            for entry in std::mem::take(&mut *pools) {
                if entry.0 == process {
                    pools.push(entry);
                } else {
                    orphans.push(entry.2);
                }
            }
        }
        if let Some((.., found)) = pools.iter().find(|&&(_, s, _)| s == size) {
            return Some(Arc::clone(found));
        }
    }
    // Built outside the lock: starting threads takes a while.
    let built = ThreadPoolBuilder::new()
        .num_threads(size)
        .thread_name(|i| format!("bcm-{i}"))
        .build()
        .ok()
        .map(Arc::new)?;
    let mut pools = POOLS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((.., found)) = pools
        .iter()
        .find(|&&(owner, s, _)| owner == process && s == size)
    {
        return Some(Arc::clone(found));
    }
    pools.push((process, size, Arc::clone(&built)));
    Some(built)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_is_bounded() {
        assert_eq!(Threads::new(1), Ok(Threads::ONE));
        assert_eq!(Threads::new(4).map(Threads::get), Ok(4));
        assert_eq!(Threads::new(0), Err(ThreadsError(0)));
        assert_eq!(Threads::new(1025), Err(ThreadsError(1025)));
        assert_eq!(
            ThreadsError(0).to_string(),
            "threads must be between 1 and 1024, not 0"
        );
    }

    #[test]
    fn one_thread_runs_on_the_callers_thread() {
        let caller = std::thread::current().id();
        let (on, threaded) = Threads::ONE.run(&Cancel::new(), |threaded| {
            (std::thread::current().id(), threaded)
        });
        assert_eq!((on, threaded), (caller, false));
    }

    #[test]
    fn more_run_in_the_librarys_own_pool() {
        let three = Threads::new(3).unwrap_or(Threads::ONE);
        let (name, threads) = three.run(&Cancel::new(), |_| {
            (
                std::thread::current().name().map(str::to_owned),
                rayon::current_num_threads(),
            )
        });
        assert_eq!(threads, 3);
        assert!(name.is_some_and(|n| n.starts_with("bcm-")));
    }

    #[test]
    fn a_poll_on_the_callers_thread_cancels_the_work() {
        let calls = Rc::new(std::cell::Cell::new(0));
        let counted = Rc::clone(&calls);
        let poll: Poll = Rc::new(move || {
            counted.set(counted.get() + 1);
            true
        });
        for threads in [Threads::ONE, Threads::new(2).unwrap_or(Threads::ONE)] {
            let cancel = Cancel::new();
            let stopped = polling(Rc::clone(&poll), || {
                threads.run(&cancel, |_| {
                    // Work that only ends when cancelled, checking between chunks.
                    let start = Instant::now();
                    while start.elapsed() < Duration::from_secs(30) {
                        if poll_here(&cancel) {
                            return true;
                        }
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    false
                })
            });
            assert!(stopped, "{threads:?}");
        }
        assert!(calls.get() >= 2);
    }
}
