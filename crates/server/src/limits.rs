//! The server's limits and the counters that enforce them: failed join codes per IP and in all,
//! live sockets per IP. [`crate::live`] counts join failures; [`crate::socket`] holds a
//! [`SocketSlot`] per connection.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Every limit the server enforces; [`Limits::default`] suits a school.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Failed join codes one IP may try per window before it is refused.
    pub join_failures_per_ip: u32,
    /// Failed join codes from everyone per window before joins are refused.
    pub join_failures_global: u32,
    /// Failed join codes from everyone per window after which every open code is rotated.
    pub rotate_after_failures: u32,
    /// The window the failures are counted over.
    pub window: Duration,
    /// Live sockets one IP may hold at once.
    pub sockets_per_ip: usize,
    /// Answers one participant may store in one session.
    pub answers_per_participant: usize,
    /// The largest socket message, in bytes.
    pub max_message: usize,
    /// The largest request body, in bytes.
    pub max_body: usize,
    /// The largest exported file a ПОС member may send, in bytes (a year of a teacher's
    /// evidence is a few MB).
    pub max_bundle: usize,
    /// The most students a session's class list may have.
    pub max_roster: usize,
    /// The shortest time between two projector updates: changes meanwhile go out together in
    /// the next one. 20 ms (at most 50 frames a second, below a projector's refresh) keeps an
    /// answer's way to the board short while a class answers at once (`cargo xtask bench load`:
    /// 100 ms gave a p95 near 100 ms for one class).
    pub coalesce: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            join_failures_per_ip: 10,
            join_failures_global: 500,
            rotate_after_failures: 100,
            window: Duration::from_secs(60),
            sockets_per_ip: 256,
            answers_per_participant: 100,
            max_message: 16 * 1024,
            max_body: 256 * 1024,
            max_bundle: 32 * 1024 * 1024,
            max_roster: 200,
            coalesce: Duration::from_millis(20),
        }
    }
}

/// What the join counter says about a failed or about-to-be-tried code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Go on.
    Allowed,
    /// Too many failures: refuse.
    Refused,
}

#[derive(Debug)]
struct Window {
    started: Instant,
    failures: u32,
}

impl Window {
    fn current(&mut self, now: Instant, length: Duration) -> &mut Self {
        if now.duration_since(self.started) >= length {
            self.started = now;
            self.failures = 0;
        }
        self
    }
}

/// Failed join codes, per IP and in all, over a fixed window.
#[derive(Debug)]
pub struct JoinGuard {
    limits: Limits,
    inner: Mutex<GuardState>,
}

#[derive(Debug)]
struct GuardState {
    per_ip: HashMap<IpAddr, Window>,
    global: Window,
    since_rotation: u32,
}

impl JoinGuard {
    /// A guard with no failures yet.
    pub fn new(limits: Limits) -> Self {
        let now = Instant::now();
        JoinGuard {
            limits,
            inner: Mutex::new(GuardState {
                per_ip: HashMap::new(),
                global: Window { started: now, failures: 0 },
                since_rotation: 0,
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, GuardState> {
        // The state is counters only: a panic elsewhere cannot leave them inconsistent.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether `ip` may try a code now.
    pub fn check(&self, ip: IpAddr) -> Verdict {
        let now = Instant::now();
        let window = self.limits.window;
        let mut state = self.state();
        if state.global.current(now, window).failures >= self.limits.join_failures_global {
            return Verdict::Refused;
        }
        let failures = state.per_ip.get_mut(&ip).map_or(0, |w| w.current(now, window).failures);
        if failures >= self.limits.join_failures_per_ip {
            Verdict::Refused
        } else {
            Verdict::Allowed
        }
    }

    /// Counts a wrong code from `ip`; true when the codes should be rotated now.
    pub fn fail(&self, ip: IpAddr) -> bool {
        let now = Instant::now();
        let window = self.limits.window;
        let mut state = self.state();
        if state.per_ip.len() > 100_000 {
            // Forget IPs whose window is over, so a spray of addresses cannot grow the map.
            state.per_ip.retain(|_, w| now.duration_since(w.started) < window);
        }
        let w = state.per_ip.entry(ip).or_insert(Window { started: now, failures: 0 });
        w.current(now, window).failures += 1;
        state.global.current(now, window).failures += 1;
        state.since_rotation += 1;
        if state.since_rotation >= self.limits.rotate_after_failures {
            state.since_rotation = 0;
            true
        } else {
            false
        }
    }
}

/// Live sockets per IP.
#[derive(Debug, Clone, Default)]
pub struct SocketCounter {
    inner: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One socket's place in the count; given back on drop.
#[derive(Debug)]
pub struct SocketSlot {
    counter: SocketCounter,
    ip: IpAddr,
}

impl SocketCounter {
    /// A slot for a new socket from `ip`, or none when it holds `max` already.
    pub fn take(&self, ip: IpAddr, max: usize) -> Option<SocketSlot> {
        // Counters only: a poisoned lock still holds a usable count.
        let mut map = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let n = map.entry(ip).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(SocketSlot { counter: self.clone(), ip })
    }
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let mut map = self.counter.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = map.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_limited_per_ip_and_rotate() {
        let limits =
            Limits { join_failures_per_ip: 3, rotate_after_failures: 5, ..Limits::default() };
        let guard = JoinGuard::new(limits);
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let rotations: Vec<bool> = (0..3).map(|_| guard.fail(a)).collect();
        assert_eq!(rotations, [false, false, false]);
        assert_eq!(guard.check(a), Verdict::Refused);
        assert_eq!(guard.check(b), Verdict::Allowed);
        assert!(!guard.fail(b));
        assert!(guard.fail(b), "the fifth failure in all rotates the codes");
    }

    #[test]
    fn socket_slots_are_given_back() {
        let counter = SocketCounter::default();
        let ip: IpAddr = [10, 0, 0, 1].into();
        let first = counter.take(ip, 1).expect("a first slot");
        assert!(counter.take(ip, 1).is_none());
        drop(first);
        assert!(counter.take(ip, 1).is_some());
    }
}
