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

    /// The machine's scope with variables already set (starting or redriving mid-workflow).
    pub fn with_values(values: HashMap<String, Value>) -> Variables<'static> {
        Variables { own: values, parent: None }
    }

    /// A scope for a Parallel branch or Map iteration, reading `parent`'s variables.
    pub fn scope(parent: Option<&'p Variables<'p>>) -> Variables<'p> {
        Variables { own: HashMap::new(), parent }
    }

    /// The value of a variable in this scope or an enclosing one.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.own.get(name).or_else(|| self.parent.and_then(|p| p.get(name)))
    }

    /// Applies one state's assignments (already evaluated against the values on entry), within
    /// AWS's limits: 256 KiB per variable, 256 KiB for one `Assign`, 10 MiB for the variables of
    /// the whole scope chain. Past a limit the state fails with `States.DataLimitExceeded` (the
    /// error name AWS uses here is not recorded; this is the closest documented one).
    pub fn assign(&mut self, assignments: Vec<(&'static str, Value)>, visit: &Visit) -> Result<(), Error> {
        if assignments.is_empty() {
            return Ok(());
        }
        let mut total = 0;
        for (name, value) in &assignments {
            let size = json_size(value);
            if size > MAX_VARIABLE_BYTES {
                return Err(limit(
                    visit,
                    format!("The value assigned to the variable '{name}' is larger than 256 KiB ({size} bytes)"),
                ));
            }
            total += size;
        }
        if total > MAX_VARIABLE_BYTES {
            return Err(limit(
                visit,
                format!("The values of one Assign are larger than 256 KiB together ({total} bytes)"),
            ));
        }
        for (name, value) in assignments {
            self.own.insert(name.to_owned(), value);
        }
        let stored = self.stored_bytes();
        if stored > MAX_EXECUTION_VARIABLE_BYTES {
            return Err(limit(visit, format!("The workflow's variables take more than 10 MiB ({stored} bytes)")));
        }
        Ok(())
    }

    /// Bytes of all variables in this scope and its parents.
    fn stored_bytes(&self) -> usize {
        self.own.values().map(json_size).sum::<usize>() + self.parent.map_or(0, |p| p.stored_bytes())
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

/// Largest value of one variable, and of all values of one `Assign`.
pub const MAX_VARIABLE_BYTES: usize = 256 * 1024;
/// Largest total of the variables of an execution.
pub const MAX_EXECUTION_VARIABLE_BYTES: usize = 10 * 1024 * 1024;

fn json_size(value: &Value) -> usize {
    crate::support::json_len(value, usize::MAX)
}

fn limit(visit: &Visit, detail: String) -> Error {
    visit.error(crate::error::names::DATA_LIMIT_EXCEEDED, detail)
}

/// Reads a variable for a JSONPath field; an unassigned one fails the execution.
pub fn variable<'v>(vars: &'v Variables<'_>, name: &str, visit: &Visit) -> Result<&'v Value, Error> {
    vars.get(name).ok_or_else(|| visit.runtime_error(format!("The variable '${name}' is not defined")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn visit() -> Visit {
        crate::execution::Execution::new(crate::execution::ExecutionInfo::new("sm", "e"), json!({})).enter(
            "S",
            crate::history::StateType::Pass,
            &json!({}),
        )
    }

    #[test]
    fn inner_scopes_read_outer_variables_and_vanish() {
        let mut outer = Variables::new();
        outer.assign(vec![("x", json!(1))], &visit()).unwrap();
        {
            let mut inner = Variables::scope(Some(&outer));
            inner.assign(vec![("y", json!(2))], &visit()).unwrap();
            assert_eq!(inner.get("x"), Some(&json!(1)));
            assert_eq!(inner.get("y"), Some(&json!(2)));
        }
        assert_eq!(outer.get("y"), None);
    }

    #[test]
    fn assignments_apply_together() {
        let mut vars = Variables::new();
        vars.assign(vec![("a", json!(1)), ("b", json!(2))], &visit()).unwrap();
        // A swap: both values are computed from the old ones, then applied.
        let (a, b) = (vars.get("b").cloned().unwrap(), vars.get("a").cloned().unwrap());
        vars.assign(vec![("a", a), ("b", b)], &visit()).unwrap();
        assert_eq!((vars.get("a"), vars.get("b")), (Some(&json!(2)), Some(&json!(1))));
    }

    #[test]
    fn size_limits() {
        let mut vars = Variables::new();
        let big = Value::String("x".repeat(MAX_VARIABLE_BYTES));
        let e = vars.assign(vec![("big", big)], &visit()).unwrap_err();
        assert_eq!(e.name, "States.DataLimitExceeded");
        assert_eq!(vars.get("big"), None, "nothing is assigned when a limit is exceeded");
        let half = Value::String("x".repeat(MAX_VARIABLE_BYTES / 2));
        assert!(vars.assign(vec![("a", half.clone()), ("b", half)], &visit()).is_err(), "one Assign over 256 KiB");
    }
}
