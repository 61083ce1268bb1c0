//! Steering a running execution from outside: pause at the next state boundary, resume, and the
//! checkpoint of the last top-level state entered (where a redrive starts again).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use serde_json::Value;
use tokio::sync::watch;

use crate::variables::Variables;

/// Where a top-level state was entered: its name, its input and the variables at that moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Checkpoint {
    pub state: String,
    pub input: Value,
    pub variables: HashMap<String, Value>,
}

/// Pause/resume and the last checkpoint of one execution.
#[derive(Debug)]
pub struct Control {
    paused: watch::Sender<bool>,
    /// The state the execution waits before while paused.
    paused_at: Mutex<Option<String>>,
    checkpoint: Mutex<Option<Checkpoint>>,
}

impl Default for Control {
    fn default() -> Self {
        Control { paused: watch::Sender::new(false), paused_at: Mutex::new(None), checkpoint: Mutex::new(None) }
    }
}

impl Control {
    pub fn new() -> Control {
        Control::default()
    }

    /// Asks the execution to stop before its next top-level state (running states finish first).
    pub fn pause(&self) {
        self.paused.send_replace(true);
    }

    pub fn resume(&self) {
        self.paused.send_replace(false);
    }

    pub fn is_paused(&self) -> bool {
        *self.paused.borrow()
    }

    /// The state the execution is waiting to enter, while it is paused there.
    pub fn paused_at(&self) -> Option<String> {
        self.paused_at.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub(crate) fn clear_paused_at(&self) {
        *self.paused_at.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// The last top-level state entered, with its input and variables.
    pub fn checkpoint(&self) -> Option<Checkpoint> {
        self.checkpoint.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub(crate) async fn boundary(&self, state: &'static str, input: &Value, vars: &Variables<'_>) {
        *self.checkpoint.lock().unwrap_or_else(PoisonError::into_inner) =
            Some(Checkpoint { state: state.to_owned(), input: input.clone(), variables: vars.own().clone() });
        if !self.is_paused() {
            return;
        }
        *self.paused_at.lock().unwrap_or_else(PoisonError::into_inner) = Some(state.to_owned());
        // Cleared however the wait ends (resumed, or the execution stopped while paused).
        struct Clear<'c>(&'c Control);
        impl Drop for Clear<'_> {
            fn drop(&mut self) {
                self.0.clear_paused_at();
            }
        }
        let _clear = Clear(self);
        let mut paused = self.paused.subscribe();
        // The sender lives in `self`, so the wait ends only on resume.
        let _ = paused.wait_for(|p| !*p).await;
    }
}
