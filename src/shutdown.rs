//! Telling background work that the server is stopping. Each job waits on a
//! [`Stop`] between rounds instead of sleeping, so it finishes the round it is
//! in (a batch written, a message sent) and returns, instead of being cut off
//! half-way.

use std::time::Duration;

use tokio::{sync::watch, time::Interval};

/// Asks every [`Stop`] made from it to stop.
pub struct StopSender(watch::Sender<bool>);

/// A job's view of whether it should stop. Cheap to clone.
#[derive(Clone)]
pub struct Stop(watch::Receiver<bool>);

pub fn channel() -> (StopSender, Stop) {
    let (tx, rx) = watch::channel(false);
    (StopSender(tx), Stop(rx))
}

impl StopSender {
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

impl Stop {
    pub fn requested(&self) -> bool {
        *self.0.borrow()
    }

    /// Waits until a stop is asked for (or its sender is gone).
    pub async fn wait(&mut self) {
        let _ = self.0.wait_for(|stop| *stop).await;
    }

    /// Sleeps for `pause`, or less when a stop is asked for; `true` means carry on.
    pub async fn pause(&mut self, pause: Duration) -> bool {
        tokio::select! {
            () = tokio::time::sleep(pause) => !self.requested(),
            () = self.wait() => false,
        }
    }

    /// Waits for the interval's next tick, or less when a stop is asked for;
    /// `true` means carry on.
    pub async fn tick(&mut self, interval: &mut Interval) -> bool {
        tokio::select! {
            _ = interval.tick() => !self.requested(),
            () = self.wait() => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_pause_ends_early_when_asked_to_stop() {
        let (sender, mut stop) = channel();
        assert!(stop.pause(Duration::from_millis(1)).await);
        sender.stop();
        let started = std::time::Instant::now();
        assert!(!stop.pause(Duration::from_secs(60)).await);
        assert!(started.elapsed() < Duration::from_secs(30));
        assert!(stop.requested());
    }

    #[tokio::test]
    async fn a_dropped_sender_stops_its_jobs() {
        let (sender, mut stop) = channel();
        drop(sender);
        assert!(!stop.pause(Duration::from_secs(60)).await);
    }
}
