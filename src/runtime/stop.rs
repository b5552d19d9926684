//! What ends the loop from outside: a signal (a terminal closed, a process
//! manager stopping us, `kill`) or a panic on another task. The loop ends
//! normally for these, so the terminal is restored on the way out, and the
//! binary decides the exit code from [`Ended`].

use std::sync::Mutex;
use tokio::signal::unix::{signal, Signal, SignalKind};
use tokio::sync::mpsc;

/// How the dashboard ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The user quit.
    Quit,
    /// This signal (its number) asked us to stop.
    Signal(i32),
    /// A task panicked (already reported on stderr).
    Crashed,
}

/// Where the panic hook tells the loop (set while a loop listens).
static CRASHES: Mutex<Option<mpsc::UnboundedSender<()>>> = Mutex::new(None);

/// Called by the panic hook: wakes the loop, if one listens.
pub(super) fn crashed() {
    if let Ok(guard) = CRASHES.lock() {
        if let Some(tx) = guard.as_ref() {
            let _ = tx.send(());
        }
    }
}

pub struct Stops {
    signals: Vec<(i32, Signal)>,
    crashes: mpsc::UnboundedReceiver<()>,
}

impl Stops {
    /// Takes over SIGTERM, SIGINT, SIGHUP and SIGQUIT (whose default actions
    /// would kill us with the terminal still raw) and panics of other tasks.
    pub fn listen() -> std::io::Result<Stops> {
        let mut signals = Vec::new();
        for (number, kind) in [
            (libc::SIGTERM, SignalKind::terminate()),
            (libc::SIGINT, SignalKind::interrupt()),
            (libc::SIGHUP, SignalKind::hangup()),
            (libc::SIGQUIT, SignalKind::quit()),
        ] {
            signals.push((number, signal(kind)?));
        }
        let (tx, crashes) = mpsc::unbounded_channel();
        if let Ok(mut guard) = CRASHES.lock() {
            *guard = Some(tx);
        }
        Ok(Stops { signals, crashes })
    }

    /// The next reason to stop.
    pub async fn next(&mut self) -> Ended {
        let signals = self.signals.iter_mut().map(|(number, s)| {
            let number = *number;
            Box::pin(async move {
                s.recv().await;
                number
            })
        });
        tokio::select! {
            (number, _, _) = futures::future::select_all(signals) => Ended::Signal(number),
            _ = self.crashes.recv() => Ended::Crashed,
        }
    }
}

/// Waits for `stops`, or forever when there are none (a test's loop).
pub(super) async fn next(stops: &mut Option<Stops>) -> Ended {
    match stops {
        Some(s) => s.next().await,
        None => std::future::pending().await,
    }
}
