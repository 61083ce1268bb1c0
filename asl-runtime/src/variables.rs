//! Workflow variables (`Assign`): one scope per `States` block.
//!
//! The machine has a scope; each Parallel branch and each Map iteration gets a child scope that
//! can read its parents' variables, assigns only its own (the checks refuse assigning an outer
//! name), and vanishes with the branch or iteration (INVENTORY §2.7). Assignments of one state are
//! all evaluated against the values on entry and applied together when the state completes.

use std::collections::HashMap;

use serde_json::Value;

use crate::Error;
use crate::execution::Visit;

/// The variables visible in one `States` block.
#[derive(Debug, Default)]
pub struct Variables<'p> {
    own: HashMap<String, Value>,
    parent: Option<&'p Variables<'p>>,
}

impl<'p> Variables<'p> {
    /// The machine's scope.
    pub fn new() -> Variables<'static> {
        Variables { own: HashMap::new(), parent: None }
    }

    /// A scope for a Parallel branch or Map iteration, reading `parent`'s variables.
    pub fn scope(parent: Option<&'p Variables<'p>>) -> Variables<'p> {
        Variables { own: HashMap::new(), parent }
    }

    /// The value of a variable in this scope or an enclosing one.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.own.get(name).or_else(|| self.parent.and_then(|p| p.get(name)))
    }

    /// Applies one state's assignments (already evaluated against the values on entry).
    pub fn assign(&mut self, assignments: Vec<(&'static str, Value)>) {
        for (name, value) in assignments {
            self.own.insert(name.to_owned(), value);
        }
    }

    /// A lookup function over this scope, for JSONata's variable bindings.
    pub fn lookup<'s>(&'s self) -> impl for<'n> Fn(&'n str) -> Option<&'s Value> + Sync + 's {
        move |name| self.get(name)
    }

    /// The variables assigned in this scope (for history and tools).
    pub fn own(&self) -> &HashMap<String, Value> {
        &self.own
    }
}

/// Reads a variable for a JSONPath field; an unassigned one fails the execution.
pub fn variable<'v>(vars: &'v Variables<'_>, name: &str, visit: &Visit) -> Result<&'v Value, Error> {
    vars.get(name).ok_or_else(|| visit.runtime_error(format!("The variable '${name}' is not defined")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inner_scopes_read_outer_variables_and_vanish() {
        let mut outer = Variables::new();
        outer.assign(vec![("x", json!(1))]);
        {
            let mut inner = Variables::scope(Some(&outer));
            inner.assign(vec![("y", json!(2))]);
            assert_eq!(inner.get("x"), Some(&json!(1)));
            assert_eq!(inner.get("y"), Some(&json!(2)));
        }
        assert_eq!(outer.get("y"), None);
    }

    #[test]
    fn assignments_apply_together() {
        let mut vars = Variables::new();
        vars.assign(vec![("a", json!(1)), ("b", json!(2))]);
        // A swap: both values are computed from the old ones, then applied.
        let (a, b) = (vars.get("b").cloned().unwrap(), vars.get("a").cloned().unwrap());
        vars.assign(vec![("a", a), ("b", b)]);
        assert_eq!((vars.get("a"), vars.get("b")), (Some(&json!(2)), Some(&json!(1))));
    }
}
