//! Walks over the values of a state: finds every variable it reads.
//!
//! Variables are read through JSONPath roots (`$name.field` in paths, templates and intrinsic
//! arguments) and JSONata free variables (`$name`, other than `$states` and built-in functions).

use crate::intrinsic::{Arg, Call};
use crate::jsonpath::Root;
use crate::model::*;
use crate::span::Span;

/// One place where a state reads a variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariableUse {
    pub name: String,
    pub span: Span,
    /// JSON pointer of the field holding the reference.
    pub pointer: String,
}

/// Every variable a state reads (in its own fields; nested blocks are separate).
pub fn variable_references(state: &State) -> Vec<VariableUse> {
    walk(state).out
}

/// Whether a JSONata state's expressions may read `$states.context` (conservatively: any use of
/// `$states` other than `$states.input`, `.result` or `.errorOutput` counts).
pub fn reads_states_context(state: &State) -> bool {
    walk(state).states_context
}

fn walk(state: &State) -> Refs {
    let mut v = Refs { out: Vec::new(), states_context: false };
    let p = |field: &str| format!("{}/{field}", state.pointer);
    let io = &state.io;
    for (field, path) in [("InputPath", &io.input_path), ("OutputPath", &io.output_path)] {
        if let Some(NullablePath::Path(e)) = path {
            v.path(e, &p(field));
        }
    }
    if let Some(t) = &io.parameters {
        v.template(t, &p("Parameters"));
    }
    if let Some(t) = &io.result_selector {
        v.template(t, &p("ResultSelector"));
    }
    if let Some(j) = &io.arguments {
        v.jsonata(j, &p("Arguments"));
    }
    if let Some(j) = &io.output {
        v.jsonata(j, &p("Output"));
    }
    if let Some(a) = &state.assign {
        v.assign(a, &p("Assign"));
    }
    match &state.kind {
        StateKind::Task(t) => {
            v.dynamic(&t.timeout_seconds, &p("TimeoutSeconds"));
            v.dynamic(&t.heartbeat_seconds, &p("HeartbeatSeconds"));
            match &t.credentials {
                Some(Credentials::JsonPath(t)) => v.template(t, &p("Credentials")),
                Some(Credentials::Jsonata(j)) => v.jsonata(j, &p("Credentials")),
                None => {}
            }
        }
        StateKind::Choice(c) => {
            for rule in &c.choices {
                v.condition(&rule.condition, &rule.pointer);
                if let Some(o) = &rule.output {
                    v.jsonata(o, &format!("{}/Output", rule.pointer));
                }
                if let Some(a) = &rule.assign {
                    v.assign(a, &format!("{}/Assign", rule.pointer));
                }
            }
        }
        StateKind::Wait(w) => match &w.duration {
            WaitDuration::Seconds(d) => v.dynamic(&Some(d.clone()), &p("Seconds")),
            WaitDuration::Timestamp(s) => v.dynamic_string(s, &p("Timestamp")),
            WaitDuration::Invalid => {}
        },
        StateKind::Fail(f) => {
            if let Some(e) = &f.error {
                v.dynamic_string(e, &p("Error"));
            }
            if let Some(c) = &f.cause {
                v.dynamic_string(c, &p("Cause"));
            }
        }
        StateKind::Map(m) => {
            if let Some(e) = &m.items_path {
                v.path(e, &p("ItemsPath"));
            }
            if let Some(j) = &m.items {
                v.jsonata(j, &p("Items"));
            }
            match &m.item_selector {
                Some(ItemSelector::JsonPath(t)) => v.template(t, &p("ItemSelector")),
                Some(ItemSelector::Jsonata(j)) => v.jsonata(j, &p("ItemSelector")),
                None => {}
            }
            v.dynamic(&m.max_concurrency, &p("MaxConcurrency"));
            v.dynamic(&m.tolerated_failure_count, &p("ToleratedFailureCount"));
            v.dynamic(&m.tolerated_failure_percentage, &p("ToleratedFailurePercentage"));
            if let Some(r) = &m.item_reader {
                v.arguments(&r.arguments, &p("ItemReader"));
                if let Some(c) = &r.reader_config {
                    v.dynamic(&c.max_items, &p("ItemReader/ReaderConfig/MaxItems"));
                }
            }
            if let Some(b) = &m.item_batcher {
                v.dynamic(&b.max_items_per_batch, &p("ItemBatcher/MaxItemsPerBatch"));
                v.dynamic(&b.max_input_bytes_per_batch, &p("ItemBatcher/MaxInputBytesPerBatch"));
                v.arguments(&b.batch_input, &p("ItemBatcher/BatchInput"));
            }
            if let Some(w) = &m.result_writer {
                v.arguments(&w.arguments, &p("ResultWriter"));
            }
        }
        StateKind::Pass(_) | StateKind::Succeed | StateKind::Parallel(_) => {}
    }
    for c in state.catch() {
        if let Some(o) = &c.output {
            v.jsonata(o, &format!("{}/Output", c.pointer));
        }
        if let Some(a) = &c.assign {
            v.assign(a, &format!("{}/Assign", c.pointer));
        }
    }
    v
}

struct Refs {
    out: Vec<VariableUse>,
    states_context: bool,
}

impl Refs {
    fn add(&mut self, name: &str, span: Span, pointer: &str) {
        self.out.push(VariableUse { name: name.to_owned(), span, pointer: pointer.to_owned() });
    }

    fn path(&mut self, e: &PathExpr, pointer: &str) {
        if let Root::Variable(name) = &e.path.root {
            self.add(name, e.span, pointer);
        }
    }

    fn call(&mut self, call: &Call, span: Span, pointer: &str) {
        for arg in &call.args {
            match arg {
                Arg::Path { path, .. } => {
                    if let Root::Variable(name) = &path.root {
                        self.add(name, span, pointer);
                    }
                }
                Arg::Call(inner) => self.call(inner, span, pointer),
                _ => {}
            }
        }
    }

    fn template(&mut self, t: &Template, pointer: &str) {
        match t {
            Template::Literal(_) => {}
            Template::Object(fields) => {
                for f in fields {
                    self.template(&f.value, &format!("{pointer}/{}", f.name));
                }
            }
            Template::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.template(item, &format!("{pointer}/{i}"));
                }
            }
            Template::Path(e) => self.path(e, pointer),
            Template::Intrinsic(e) => self.call(&e.call, e.span, pointer),
        }
    }

    fn expr(&mut self, e: &JsonataExpr, pointer: &str) {
        for var in crate::jsonata::analysis::free_variables(&e.expr) {
            if var.name == "states" {
                let member = var.fields.first().map(String::as_str);
                self.states_context |= !matches!(member, Some("input" | "result" | "errorOutput"));
                continue;
            }
            let span = match e.text_offset {
                Some(start) => Span::new(start as usize + var.offset, start as usize + var.offset + var.name.len() + 1),
                None => e.span,
            };
            self.add(&var.name, span, pointer);
        }
    }

    fn jsonata(&mut self, j: &JsonataValue, pointer: &str) {
        match j {
            JsonataValue::Literal(_) => {}
            JsonataValue::Object(fields) => {
                for (key, _, value) in fields {
                    self.jsonata(value, &format!("{pointer}/{key}"));
                }
            }
            JsonataValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.jsonata(item, &format!("{pointer}/{i}"));
                }
            }
            JsonataValue::Expr(e) => self.expr(e, pointer),
        }
    }

    fn assign(&mut self, a: &Assign, pointer: &str) {
        match a {
            Assign::JsonPath(entries) => {
                for e in entries {
                    self.template(&e.value, &format!("{pointer}/{}", e.name));
                }
            }
            Assign::Jsonata(entries) => {
                for e in entries {
                    self.jsonata(&e.value, &format!("{pointer}/{}", e.name));
                }
            }
        }
    }

    fn dynamic<T>(&mut self, d: &Option<Dynamic<T>>, pointer: &str) {
        match d {
            Some(Dynamic::Path(e)) => self.path(e, &format!("{pointer}Path")),
            Some(Dynamic::Jsonata(e)) => self.expr(e, pointer),
            _ => {}
        }
    }

    fn dynamic_string(&mut self, d: &DynamicString, pointer: &str) {
        match d {
            DynamicString::Literal(_) => {}
            DynamicString::Path(e) => self.path(e, &format!("{pointer}Path")),
            DynamicString::Intrinsic(e) => self.call(&e.call, e.span, &format!("{pointer}Path")),
            DynamicString::Jsonata(e) => self.expr(e, pointer),
        }
    }

    fn arguments(&mut self, a: &Option<ResourceArguments>, pointer: &str) {
        match a {
            Some(ResourceArguments::JsonPath(t)) => self.template(t, pointer),
            Some(ResourceArguments::Jsonata(j)) => self.jsonata(j, pointer),
            None => {}
        }
    }

    fn condition(&mut self, c: &Condition, pointer: &str) {
        match c {
            Condition::Jsonata(JsonataCondition::Expr(e)) => self.expr(e, &format!("{pointer}/Condition")),
            Condition::Jsonata(JsonataCondition::Literal(_)) => {}
            Condition::And(rules) | Condition::Or(rules) => {
                for r in rules {
                    self.condition(r, pointer);
                }
            }
            Condition::Not(inner) => self.condition(inner, pointer),
            Condition::Compare { variable, operand, .. } => {
                self.path(variable, &format!("{pointer}/Variable"));
                if let Operand::Path(e) = operand {
                    self.path(e, pointer);
                }
            }
        }
    }
}
