//! Rules that need the whole machine: transitions and reachability, terminal states, unique state
//! names, `States.ALL` placement, retriers and catchers that can never fire, and variable scopes.
//!
//! Field-level rules are applied while the [model](crate::model) is built; this pass runs on the
//! finished model and adds its diagnostics to the same list.

use std::collections::{BTreeSet, HashMap};

use crate::diagnostic::{Diagnostic, codes};
use crate::model::*;
use crate::span::Span;
use crate::visit;

/// Runs every machine-wide check.
pub fn check_machine(machine: &StateMachine, out: &mut Vec<Diagnostic>) {
    let mut everywhere = HashMap::new();
    collect_names(&machine.body, &mut everywhere);
    let mut checker = Checker { out, names: HashMap::new(), everywhere };
    checker.block(&machine.body, &[]);
}

/// Every state of a block and of the blocks nested in it, by name (the first of each name).
fn collect_names<'m>(block: &'m StatesBlock, into: &mut HashMap<&'m str, &'m State>) {
    for state in &block.states {
        into.entry(state.name.as_str()).or_insert(state);
        match &state.kind {
            StateKind::Parallel(p) => p.branches.iter().for_each(|b| collect_names(b, into)),
            StateKind::Map(m) => m.processor.iter().for_each(|b| collect_names(b, into)),
            _ => {}
        }
    }
}

struct Checker<'a, 'm> {
    out: &'a mut Vec<Diagnostic>,
    /// First definition of each state name seen so far (pointer), for machine-wide uniqueness.
    names: HashMap<&'m str, &'m State>,
    /// Every state of the machine by name, whichever block it is in (for the cross-block hint).
    everywhere: HashMap<&'m str, &'m State>,
}

/// Error names that `States.*` predefines (INVENTORY §5.1).
pub const PREDEFINED_ERRORS: &[&str] = &[
    "States.ALL",
    "States.HeartbeatTimeout",
    "States.Timeout",
    "States.TaskFailed",
    "States.Permissions",
    "States.ResultPathMatchFailure",
    "States.ParameterPathFailure",
    "States.QueryEvaluationError",
    "States.BranchFailed",
    "States.NoChoiceMatched",
    "States.IntrinsicFailure",
    "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed",
    "States.ResultWriterFailed",
    "States.DataLimitExceeded",
    "States.Runtime",
];

impl<'a, 'm> Checker<'a, 'm> {
    fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    /// Checks one `States` block; `outer` holds the variables visible from enclosing blocks at the
    /// state that owns this block, and the names assigned anywhere in enclosing blocks.
    fn block(&mut self, block: &'m StatesBlock, outer: &[&OuterScope]) {
        for state in &block.states {
            self.unique_name(state);
        }
        let transitions_ok = self.transitions(block);
        let has_terminal = block.states.iter().any(State::is_terminal);
        if !block.states.is_empty() && !has_terminal {
            let at = if block.pointer.is_empty() { "/States".to_owned() } else { format!("{}/States", block.pointer) };
            let owner = outer.last().map(|o| o.owner);
            self.push(
                Diagnostic::error(
                    codes::MISSING_END_STATE,
                    "Workflow has no terminal state",
                    at,
                    block.states_key_span,
                )
                .with_state(owner),
            );
        }
        let graph = Graph::new(block);
        if has_terminal && transitions_ok.start_ok {
            let reachable = graph.reachable_from(graph.index(&block.start_at.value));
            for (i, state) in block.states.iter().enumerate() {
                // A second state under the same key was reported as a duplicate key; it is not also unreachable.
                if !reachable[i] && graph.index(&state.name) == Some(i) {
                    self.push(
                        Diagnostic::error(
                            codes::MISSING_TRANSITION_TARGET,
                            format!("State \"{}\" is not reachable.", state.name),
                            state.pointer.clone(),
                            state.name_span,
                        )
                        .with_state(Some(&state.name)),
                    );
                }
            }
            let ends = graph.can_reach_terminal(block);
            for (i, state) in block.states.iter().enumerate() {
                // After a dangling transition (already an error) the graph is incomplete: do not guess.
                if reachable[i] && !ends[i] && transitions_ok.all_ok {
                    self.push(
                        Diagnostic::warning(
                            codes::NO_PATH_TO_END,
                            format!("No terminal state can be reached from state \"{}\": an execution that gets here never ends", state.name),
                            state.pointer.clone(),
                            state.name_span,
                        )
                        .with_state(Some(&state.name)),
                    );
                }
            }
        }
        for state in &block.states {
            self.error_handling(state);
        }
        self.variables(block, &graph, outer);
    }

    fn unique_name(&mut self, state: &'m State) {
        match self.names.get(state.name.as_str()) {
            // The same key twice in one `States` object was already reported as a duplicate key.
            Some(first) if first.pointer == state.pointer => {}
            Some(first) => {
                let message = format!(
                    "State name \"{}\" is already used by the state at {}: state names must be unique in the whole state machine",
                    state.name, first.pointer
                );
                self.push(
                    Diagnostic::error(codes::DUPLICATE_STATE_NAME, message, state.pointer.clone(), state.name_span)
                        .with_state(Some(&state.name)),
                );
            }
            None => {
                self.names.insert(&state.name, state);
            }
        }
    }

    /// Every transition names a state of this block. Returns whether `StartAt` resolved.
    fn transitions(&mut self, block: &'m StatesBlock) -> TransitionCheck {
        let names: std::collections::HashSet<&str> = block.states.iter().map(|s| s.name.as_str()).collect();
        let exists = |name: &str| names.contains(name);
        // A missing or non-string `StartAt` was reported while reading; its placeholder spans the whole block.
        let start_given = block.start_at.span != block.span;
        let mut start_ok = start_given;
        let mut all_ok = true;
        if start_given && (!block.states.is_empty() || !block.start_at.value.is_empty()) {
            let start = &block.start_at;
            if !exists(&start.value) {
                start_ok = false;
                let at =
                    if block.pointer.is_empty() { "/StartAt".to_owned() } else { format!("{}/StartAt", block.pointer) };
                let hint = self.elsewhere_hint(&start.value);
                self.push(Diagnostic::error(
                    codes::MISSING_TRANSITION_TARGET,
                    format!("Missing 'Next' target: {}{hint}", start.value),
                    at,
                    start.span,
                ));
            }
        }
        for state in &block.states {
            let mut refs: Vec<(&Spanned<String>, String)> = Vec::new();
            if let Transition::Next(n) = &state.transition {
                refs.push((n, format!("{}/Next", state.pointer)));
            }
            if let StateKind::Choice(c) = &state.kind {
                refs.extend(c.choices.iter().map(|r| (&r.next, format!("{}/Next", r.pointer))));
                if let Some(d) = &c.default {
                    refs.push((d, format!("{}/Default", state.pointer)));
                }
            }
            refs.extend(state.catch().iter().map(|c| (&c.next, format!("{}/Next", c.pointer))));
            for (target, pointer) in refs {
                if !exists(&target.value) {
                    all_ok = false;
                    let hint = self.elsewhere_hint(&target.value);
                    self.push(
                        Diagnostic::error(
                            codes::MISSING_TRANSITION_TARGET,
                            format!("Missing 'Next' target: {}{hint}", target.value),
                            pointer,
                            target.span,
                        )
                        .with_state(Some(&state.name)),
                    );
                }
            }
        }
        TransitionCheck { start_ok, all_ok }
    }

    /// When a missing target exists in another block, say that transitions cannot cross blocks.
    fn elsewhere_hint(&self, name: &str) -> String {
        match self.everywhere.get(name) {
            Some(other) => format!(
                " (a state of that name exists at {}, but a transition cannot enter or leave a Parallel branch or Map item processor)",
                other.pointer
            ),
            None => String::new(),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Retry and Catch
    // -----------------------------------------------------------------------------------------

    fn error_handling(&mut self, state: &State) {
        let retry: Vec<(&[Spanned<String>], &str, Span)> =
            state.retry().iter().map(|r| (r.error_equals.as_slice(), r.pointer.as_str(), r.span)).collect();
        let catch: Vec<(&[Spanned<String>], &str, Span)> =
            state.catch().iter().map(|c| (c.error_equals.as_slice(), c.pointer.as_str(), c.span)).collect();
        for (list, what) in [(retry, "retrier"), (catch, "catcher")] {
            let count = list.len();
            for (i, (errors, pointer, span)) in list.iter().enumerate() {
                for (j, name) in errors.iter().enumerate() {
                    let p = format!("{pointer}/ErrorEquals/{j}");
                    if name.value == "States.ALL" && (errors.len() > 1 || i + 1 != count) {
                        self.push(
                            Diagnostic::error(
                                codes::SCHEMA_VALIDATION_FAILED,
                                "States.ALL can only appear in the last element, and by itself.",
                                p.clone(),
                                name.span,
                            )
                            .with_state(Some(&state.name)),
                        );
                    }
                    if name.value.starts_with("States.") && !PREDEFINED_ERRORS.contains(&name.value.as_str()) {
                        self.push(
                            Diagnostic::warning(
                                codes::UNKNOWN_ERROR_NAME,
                                format!("'{}' is not an error Step Functions defines; names starting with 'States.' are reserved, so this never matches", name.value),
                                p,
                                name.span,
                            )
                            .with_state(Some(&state.name)),
                        );
                    }
                }
                if errors.is_empty() {
                    continue;
                }
                // Shadowed: every name is already matched by an earlier entry.
                let earlier: Vec<&str> =
                    list[..i].iter().flat_map(|(e, _, _)| e.iter().map(|n| n.value.as_str())).collect();
                if i > 0 && errors.iter().all(|n| covered(&earlier, &n.value)) {
                    let (code, message) = if what == "retrier" {
                        (
                            codes::UNREACHABLE_RETRIER,
                            "This retrier is never used: an earlier retrier already matches every error it names",
                        )
                    } else {
                        (
                            codes::UNREACHABLE_CATCHER,
                            "This catcher never fires: an earlier catcher already matches every error it names",
                        )
                    };
                    self.push(
                        Diagnostic::warning(code, message, pointer.to_string(), *span).with_state(Some(&state.name)),
                    );
                } else if errors.iter().all(|n| n.value == "States.Runtime") {
                    let code = if what == "retrier" { codes::UNREACHABLE_RETRIER } else { codes::UNREACHABLE_CATCHER };
                    self.push(
                        Diagnostic::warning(
                            code,
                            format!("This {what} never fires: States.Runtime errors cannot be retried or caught"),
                            pointer.to_string(),
                            *span,
                        )
                        .with_state(Some(&state.name)),
                    );
                }
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Variables
    // -----------------------------------------------------------------------------------------

    fn variables(&mut self, block: &'m StatesBlock, graph: &Graph, outer: &[&OuterScope]) {
        let outer_assigned: BTreeSet<&str> = outer.iter().flat_map(|o| o.assigned.iter().copied()).collect();
        // Inner blocks cannot assign a name an outer block assigns.
        if !outer.is_empty() {
            for state in &block.states {
                for (name, span, pointer) in assigned_names(state) {
                    if outer_assigned.contains(name) {
                        self.push(
                            Diagnostic::error(
                                codes::INVALID_VARIABLE,
                                format!("Variable '{name}' is assigned in an outer scope: a Parallel branch or Map iteration can read it but cannot assign it"),
                                pointer,
                                span,
                            )
                            .with_state(Some(&state.name)),
                        );
                    }
                }
            }
        }
        // Which variables may have been assigned on entry to each state (forward may-analysis).
        let n = block.states.len();
        let inherited: BTreeSet<String> = outer.last().map(|o| o.visible.clone()).unwrap_or_default();
        let mut entry: Vec<Option<BTreeSet<String>>> = vec![None; n];
        let mut work = Vec::new();
        if let Some(s) = graph.index(&block.start_at.value) {
            entry[s] = Some(inherited.clone());
            work.push(s);
        }
        while let Some(i) = work.pop() {
            let mut out_set = entry[i].clone().unwrap_or_default();
            out_set.extend(assigned_names(&block.states[i]).into_iter().map(|(n, _, _)| n.to_owned()));
            for &j in &graph.edges[i] {
                let changed = match &mut entry[j] {
                    Some(set) => {
                        let before = set.len();
                        set.extend(out_set.iter().cloned());
                        set.len() != before
                    }
                    slot @ None => {
                        *slot = Some(out_set.clone());
                        true
                    }
                };
                if changed {
                    work.push(j);
                }
            }
        }
        let all_assigned: BTreeSet<&str> = block
            .states
            .iter()
            .flat_map(|s| assigned_names(s).into_iter().map(|(n, _, _)| n))
            .chain(outer_assigned.iter().copied())
            .collect();
        for (i, state) in block.states.iter().enumerate() {
            let Some(visible) = &entry[i] else { continue };
            for r in visit::variable_references(state) {
                if visible.contains(&r.name) {
                    continue;
                }
                let message = if all_assigned.contains(r.name.as_str()) {
                    format!(
                        "Variable '${}' is read here, but no path from the start assigns it before this state",
                        r.name
                    )
                } else {
                    format!("Variable '${}' is read here, but no state assigns it", r.name)
                };
                self.push(
                    Diagnostic::warning(codes::UNASSIGNED_VARIABLE, message, r.pointer.clone(), r.span)
                        .with_state(Some(&state.name)),
                );
            }
        }
        // Nested blocks see what is visible at the state that owns them.
        let mut my_assigned: Vec<&str> = outer_assigned.iter().copied().collect();
        my_assigned.extend(block.states.iter().flat_map(|s| assigned_names(s).into_iter().map(|(n, _, _)| n)));
        for (i, state) in block.states.iter().enumerate() {
            let visible = match &state.kind {
                StateKind::Map(m) if m.processor_config.mode == MapMode::Distributed => BTreeSet::new(),
                _ => entry[i].clone().unwrap_or_default(),
            };
            let scope = OuterScope { owner: &state.name, assigned: my_assigned.clone(), visible };
            let mut chain: Vec<&OuterScope> = outer.to_vec();
            chain.push(&scope);
            match &state.kind {
                StateKind::Parallel(p) => {
                    for b in &p.branches {
                        self.block(b, &chain);
                    }
                }
                StateKind::Map(m) => {
                    if let Some(b) = &m.processor {
                        self.block(b, &chain);
                    }
                }
                _ => {}
            }
        }
    }
}

struct TransitionCheck {
    start_ok: bool,
    /// Every `Next`, `Default` and catcher `Next` names a state of the block.
    all_ok: bool,
}

/// What an enclosing block contributes to a nested one.
struct OuterScope<'m> {
    /// The Map or Parallel state that owns the nested block.
    owner: &'m str,
    /// Names assigned anywhere in the enclosing blocks (inner blocks must not assign them).
    assigned: Vec<&'m str>,
    /// Variables that may be set when the owning Map/Parallel state is entered.
    visible: BTreeSet<String>,
}

/// True when an earlier `ErrorEquals` list already matches `name`.
fn covered(earlier: &[&str], name: &str) -> bool {
    earlier
        .iter()
        .any(|&e| e == name || e == "States.ALL" || (e == "States.TaskFailed" && !name.starts_with("States.")))
}

/// Names a state assigns: state-level `Assign`, Choice-rule `Assign`s and catcher `Assign`s.
fn assigned_names(state: &State) -> Vec<(&str, Span, String)> {
    fn add<'s>(out: &mut Vec<(&'s str, Span, String)>, assign: &'s Option<Assign>, pointer: &str) {
        if let Some(a) = assign {
            for (name, span) in a.names() {
                out.push((name, span, format!("{pointer}/Assign")));
            }
        }
    }
    let mut out = Vec::new();
    add(&mut out, &state.assign, &state.pointer);
    if let StateKind::Choice(c) = &state.kind {
        for rule in &c.choices {
            add(&mut out, &rule.assign, &rule.pointer);
        }
    }
    for c in state.catch() {
        add(&mut out, &c.assign, &c.pointer);
    }
    out
}

/// The transition graph of one block, by state index.
struct Graph<'m> {
    names: HashMap<&'m str, usize>,
    edges: Vec<Vec<usize>>,
}

impl<'m> Graph<'m> {
    fn new(block: &'m StatesBlock) -> Graph<'m> {
        let mut names = HashMap::new();
        for (i, s) in block.states.iter().enumerate() {
            names.entry(s.name.as_str()).or_insert(i);
        }
        let edges = block
            .states
            .iter()
            .map(|s| s.targets().iter().filter_map(|t| names.get(t.value.as_str()).copied()).collect())
            .collect();
        Graph { names, edges }
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.names.get(name).copied()
    }

    fn reachable_from(&self, start: Option<usize>) -> Vec<bool> {
        let mut seen = vec![false; self.edges.len()];
        let mut stack: Vec<usize> = start.into_iter().collect();
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            stack.extend(self.edges[i].iter().copied().filter(|&j| !seen[j]));
        }
        seen
    }

    /// For each state, whether some terminal state is reachable from it.
    fn can_reach_terminal(&self, block: &StatesBlock) -> Vec<bool> {
        let n = self.edges.len();
        let mut reverse = vec![Vec::new(); n];
        for (i, targets) in self.edges.iter().enumerate() {
            for &j in targets {
                reverse[j].push(i);
            }
        }
        let mut ok = vec![false; n];
        let mut stack: Vec<usize> = (0..n).filter(|&i| block.states[i].is_terminal()).collect();
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut ok[i], true) {
                continue;
            }
            stack.extend(reverse[i].iter().copied().filter(|&j| !ok[j]));
        }
        ok
    }
}
