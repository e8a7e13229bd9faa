//! WASI's `poll_oneoff`, shadowed so that `sleep` (a clock wait) and stdin waits end as soon as the process is
//! killed: wasmtime-wasi's own sleeps in `std::thread::sleep`, which nothing interrupts.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use wasmtime::Caller;

use super::host::{ERRNO_FAULT, ERRNO_INVAL, ERRNO_SUCCESS, Killed, State, guest, memory};
use super::stdio::Wake;

const EVENTTYPE_CLOCK: u8 = 0;
const EVENTTYPE_FD_READ: u8 = 1;
const EVENTTYPE_FD_WRITE: u8 = 2;
const EVENTRWFLAGS_HANGUP: u16 = 1;
const SUBSCRIPTION_SIZE: usize = 48;
const EVENT_SIZE: usize = 32;

/// What one `poll_oneoff` subscription waits for.
enum Wait {
    /// A clock reaching this instant (`None`: beyond any instant this process will see).
    Clock(Option<Instant>),
    Read(u32),
    Write,
}

/// WASI's `poll_oneoff`. Clocks wait on the process's condition variable, which a kill wakes. Descriptor 0 is
/// ready when stdin has bytes or has ended; every other descriptor counts as ready at once, as files are on Linux
/// (the toolbox polls nothing else).
pub(super) fn poll_oneoff(
    mut caller: Caller<'_, State>,
    subs: u32,
    events: u32,
    count: u32,
    nevents: u32,
) -> wasmtime::Result<i32> {
    let Some(memory) = memory(&mut caller) else { return Ok(ERRNO_FAULT) };
    let count = usize::try_from(count)?;
    if count == 0 {
        return Ok(ERRNO_INVAL);
    }
    let now = Instant::now();
    let origin = caller.data().clock_origin;
    let mut waits = Vec::with_capacity(count);
    {
        let Some(raw) = count.checked_mul(SUBSCRIPTION_SIZE).and_then(|n| guest(memory.data(&caller), subs, n)) else {
            return Ok(ERRNO_FAULT);
        };
        for sub in raw.chunks_exact(SUBSCRIPTION_SIZE) {
            let userdata = le_u64(sub, 0);
            let wait = match sub[8] {
                0 => {
                    let timeout = Duration::from_nanos(le_u64(sub, 24));
                    let absolute = sub[40] & 1 != 0;
                    match (le_u32(sub, 16), absolute) {
                        (0 | 1, false) => Wait::Clock(now.checked_add(timeout)),
                        (1, true) => Wait::Clock(origin.checked_add(timeout)),
                        (0, true) => {
                            let wall = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
                            Wait::Clock(now.checked_add(timeout.saturating_sub(wall)))
                        }
                        _ => return Ok(ERRNO_INVAL),
                    }
                }
                1 => Wait::Read(le_u32(sub, 16)),
                2 => Wait::Write,
                _ => return Ok(ERRNO_INVAL),
            };
            waits.push((userdata, wait));
        }
    }
    let shared = caller.data().shared.clone();
    let stdin = waits.iter().any(|(_, w)| matches!(w, Wait::Read(0)));
    // The earliest clock within reach (one beyond any instant this process will see never fires).
    let deadline = waits.iter().filter_map(|(_, w)| if let Wait::Clock(at) = w { *at } else { None }).min();
    loop {
        if shared.is_killed() {
            return Err(Killed.into());
        }
        let (available, ended) = shared.input_ready();
        let now = Instant::now();
        let mut ready = Vec::new();
        for (userdata, wait) in &waits {
            let event = match *wait {
                Wait::Clock(Some(at)) if at <= now => Some((EVENTTYPE_CLOCK, 0, 0)),
                Wait::Read(0) if available > 0 => Some((EVENTTYPE_FD_READ, u64::try_from(available)?, 0)),
                Wait::Read(0) if ended => Some((EVENTTYPE_FD_READ, 0, EVENTRWFLAGS_HANGUP)),
                Wait::Clock(_) | Wait::Read(0) => None,
                Wait::Read(_) => Some((EVENTTYPE_FD_READ, 1, 0)),
                Wait::Write => Some((EVENTTYPE_FD_WRITE, 1, 0)),
            };
            if let Some((kind, nbytes, flags)) = event {
                let mut e = [0u8; EVENT_SIZE];
                e[0..8].copy_from_slice(&userdata.to_le_bytes());
                e[10] = kind;
                e[16..24].copy_from_slice(&u64::to_le_bytes(nbytes));
                e[24..26].copy_from_slice(&u16::to_le_bytes(flags));
                ready.extend_from_slice(&e);
            }
        }
        if !ready.is_empty() {
            let n = u32::try_from(ready.len() / EVENT_SIZE)?;
            let data = memory.data_mut(&mut caller);
            let (Some(_), Some(_)) = (guest(data, events, ready.len()), guest(data, nevents, 4)) else {
                return Ok(ERRNO_FAULT);
            };
            let (events, nevents) = (usize::try_from(events)?, usize::try_from(nevents)?);
            data[events..events + ready.len()].copy_from_slice(&ready);
            data[nevents..nevents + 4].copy_from_slice(&n.to_le_bytes());
            return Ok(ERRNO_SUCCESS);
        }
        // Without a clock in reach, only stdin (or a kill) ends the wait.
        let wake = shared.wait(deadline, stdin);
        if wake == Wake::Killed {
            return Err(Killed.into());
        }
    }
}

fn le_u64(b: &[u8], at: usize) -> u64 {
    let mut a = [0; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

fn le_u32(b: &[u8], at: usize) -> u32 {
    let mut a = [0; 4];
    a.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(a)
}
