//! Builds the typed [model](super) from the tree, reporting every field-level problem.
//!
//! Each state is read field by field: unknown fields, fields of the other query language, wrong
//! JSON types, out-of-range numbers, conflicting pairs (`TimeoutSeconds` and `TimeoutSecondsPath`),
//! malformed paths, intrinsic calls and JSONata. Reading goes on after a problem so that one run
//! reports everything; a field that could not be read is left out of the model.

use super::fields::{self, Lang};
use super::reader::{self, Sink, at_most_one, child, get, index};
use super::*;
use crate::diagnostic::{Diagnostic, codes};
use crate::intrinsic;
use crate::jsonata;
use crate::jsonpath::{self, Root};
use crate::tree::{Member, Node, Value};

/// Longest state name AWS accepts, in characters.
pub const MAX_STATE_NAME_CHARS: usize = 80;
/// Longest variable name, in characters.
pub const MAX_VARIABLE_NAME_CHARS: usize = 80;
/// Longest Map `Label`.
pub const MAX_LABEL_CHARS: usize = 40;
/// Upper bound of Task and Retry second counts and of `MaxAttempts`.
const MAX_SECONDS: u64 = 99_999_999;
/// `MaxDelaySeconds` must be below this.
const MAX_DELAY_LIMIT: u64 = 31_622_401;
/// Upper bound of `ReaderConfig.MaxItems`.
const MAX_ITEMS: u64 = 100_000_000;

/// Builds the model of a parsed definition. The model is `None` only when the top level is not a
/// JSON object; otherwise it holds everything that could be read.
pub fn build(root: &Node) -> (Option<StateMachine>, Vec<Diagnostic>) {
    let mut b = Builder {
        sink: Sink { diagnostics: Vec::new(), state: None },
        machine_ql: QueryLanguage::JsonPath,
        allow_downgrade: false,
    };
    let machine = b.machine(root);
    (machine, b.sink.diagnostics)
}

struct Builder {
    sink: Sink,
    machine_ql: QueryLanguage,
    /// Inside a DISTRIBUTED Map's item processor, where JSONPath states are allowed.
    allow_downgrade: bool,
}

/// Where a `StartAt`/`States` block sits: it decides which extra fields are allowed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Machine,
    Branch,
    ItemProcessor,
    Iterator,
}

/// What `$` and `$states` may refer to in a field, for JSONata `$states.result`/`errorOutput`
/// checks and JSONPath variable/context rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Arguments, Items, ItemSelector, numbers, ... : `$states.input` and `$states.context` only.
    Input,
    /// Top-level Output and Assign of Task, Map, Parallel: `$states.result` too.
    Result,
    /// Catcher Output and Assign: `$states.errorOutput` too.
    ErrorOutput,
}

/// Which kinds of root a JSONPath field accepts.
#[derive(Clone, Copy)]
struct PathRules {
    /// Only Reference Paths (single node, no `@ , : ?`).
    reference: bool,
    /// `$$...` allowed.
    context: bool,
    /// `$var...` allowed.
    variables: bool,
}

const PATH: PathRules = PathRules { reference: false, context: true, variables: true };
const REFERENCE: PathRules = PathRules { reference: true, context: false, variables: true };
const REFERENCE_WITH_CONTEXT: PathRules = PathRules { reference: true, context: true, variables: true };
const RESULT_PATH: PathRules = PathRules { reference: true, context: false, variables: false };

impl Builder {
    // -----------------------------------------------------------------------------------------
    // Machine and blocks
    // -----------------------------------------------------------------------------------------

    fn machine(&mut self, root: &Node) -> Option<StateMachine> {
        let Some(members) = root.as_object() else {
            self.sink.schema("Definition must be a valid JSON object", "", root.span);
            return None;
        };
        self.unknown_fields(
            members,
            "",
            &["Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage"],
        );
        let mut comment = None;
        let mut version = None;
        let mut timeout_seconds = None;
        for m in members {
            match m.key.as_str() {
                "Comment" => comment = reader::string(&mut self.sink, m, "/Comment"),
                "Version" => {
                    if let Some(v) = reader::string(&mut self.sink, m, "/Version") {
                        if v != "1.0" {
                            self.sink.schema(
                                format!("The field 'Version' should be \"1.0\", but was \"{v}\""),
                                "/Version",
                                m.value.span,
                            );
                        }
                        version = Some(Spanned::new(v, m.value.span));
                    }
                }
                "TimeoutSeconds" => {
                    timeout_seconds = reader::integer(&mut self.sink, m, "/TimeoutSeconds", 1, MAX_SECONDS)
                        .map(|v| Spanned::new(v, m.value.span));
                }
                "QueryLanguage" => {
                    if let Some(ql) = self.query_language(m, "/QueryLanguage") {
                        self.machine_ql = ql;
                    }
                }
                _ => {}
            }
        }
        let body = self.block(root, members, "", BlockKind::Machine)?;
        Some(StateMachine { comment, version, timeout_seconds, query_language: self.machine_ql, body })
    }

    /// Reads `StartAt`, `States` and `Comment` of a machine, branch or item processor.
    fn block(&mut self, node: &Node, members: &[Member], pointer: &str, kind: BlockKind) -> Option<StatesBlock> {
        match kind {
            BlockKind::Machine => {}
            BlockKind::Branch => {
                self.unknown_fields(members, pointer, &["StartAt", "States", "Comment", "QueryLanguage"])
            }
            BlockKind::ItemProcessor => {
                self.unknown_fields(members, pointer, &["StartAt", "States", "Comment", "ProcessorConfig"])
            }
            BlockKind::Iterator => {
                self.unknown_fields(members, pointer, &["StartAt", "States", "Comment", "ProcessorConfig"])
            }
        }
        if kind == BlockKind::Branch
            && let Some(m) = get(members, "QueryLanguage")
        {
            // A branch may restate the machine's language but cannot change it.
            if let Some(ql) = self.query_language(m, &child(pointer, "QueryLanguage"))
                && ql != self.machine_ql
            {
                self.sink.schema(
                    "Field 'QueryLanguage' is not supported: branches use the state machine's query language",
                    &child(pointer, "QueryLanguage"),
                    m.key_span,
                );
            }
        }
        let start = get(members, "StartAt");
        let states = get(members, "States");
        let missing: Vec<&str> = [("States", states.is_none()), ("StartAt", start.is_none())]
            .iter()
            .filter(|(_, m)| *m)
            .map(|(n, _)| *n)
            .collect();
        if !missing.is_empty() {
            let at = if pointer.is_empty() { "/" } else { pointer };
            self.sink.schema(format!("These fields are required: [{}]", missing.join(", ")), at, node.span);
        }
        let comment =
            get(members, "Comment").and_then(|m| reader::string(&mut self.sink, m, &child(pointer, "Comment")));
        let start_at = start.and_then(|m| {
            reader::string(&mut self.sink, m, &child(pointer, "StartAt")).map(|s| Spanned::new(s, m.value.span))
        });
        let mut out = Vec::new();
        if let Some(states) = states {
            let states_pointer = child(pointer, "States");
            if let Some(list) = reader::object(&mut self.sink, states, &states_pointer) {
                for m in list {
                    if let Some(state) = self.state(m, &states_pointer) {
                        out.push(state);
                    }
                }
            }
        }
        Some(StatesBlock {
            comment,
            start_at: start_at.unwrap_or_else(|| Spanned::new(String::new(), node.span)),
            states: out,
            pointer: pointer.to_owned(),
            span: node.span,
            states_key_span: states.map_or(node.span, |m| m.key_span),
        })
    }

    /// Reports members of an object that are not in `allowed`.
    fn unknown_fields(&mut self, members: &[Member], pointer: &str, allowed: &[&str]) {
        for m in members {
            if !allowed.contains(&m.key.as_str()) {
                self.sink.schema(format!("Field '{}' is not supported", m.key), &child(pointer, &m.key), m.key_span);
            }
        }
    }

    fn query_language(&mut self, m: &Member, pointer: &str) -> Option<QueryLanguage> {
        match m.value.as_str() {
            Some("JSONPath") => Some(QueryLanguage::JsonPath),
            Some("JSONata") => Some(QueryLanguage::Jsonata),
            _ => {
                self.sink.schema(
                    "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]",
                    pointer,
                    m.value.span,
                );
                None
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // States
    // -----------------------------------------------------------------------------------------

    fn state(&mut self, m: &Member, states_pointer: &str) -> Option<State> {
        let pointer = child(states_pointer, &m.key);
        let previous = self.sink.state.replace(m.key.clone());
        let state = self.state_inner(m, &pointer);
        self.sink.state = previous;
        state
    }

    fn state_inner(&mut self, m: &Member, pointer: &str) -> Option<State> {
        let name = m.key.clone();
        if name.chars().count() > MAX_STATE_NAME_CHARS {
            self.sink.schema(
                format!(
                    "State name '{name}' is too long: {} characters, at most {MAX_STATE_NAME_CHARS} are allowed",
                    name.chars().count()
                ),
                pointer,
                m.key_span,
            );
        }
        if name.is_empty() {
            self.sink.schema("State names must not be empty", pointer, m.key_span);
        }
        let Some(members) = m.value.as_object() else {
            self.sink.schema(
                format!("A state must be a JSON object, but '{name}' is {}", reader::article(m.value.kind_name())),
                pointer,
                m.value.span,
            );
            return None;
        };
        let Some(type_member) = get(members, "Type") else {
            self.sink.schema("These fields are required: [Type]", pointer, m.key_span);
            return None;
        };
        let type_name = match type_member.value.as_str() {
            Some(t) if fields::STATE_TYPES.contains(&t) => t,
            _ => {
                self.sink.schema(
                    format!("The field 'Type' should have one of these values: [{}]", fields::STATE_TYPES.join(", ")),
                    &child(pointer, "Type"),
                    type_member.value.span,
                );
                return None;
            }
        };

        // The state's language: its own, else the machine's. A JSONata machine cannot hold JSONPath states.
        let mut ql = self.machine_ql;
        if let Some(qm) = get(members, "QueryLanguage")
            && let Some(own) = self.query_language(qm, &child(pointer, "QueryLanguage"))
        {
            if self.machine_ql == QueryLanguage::Jsonata && own == QueryLanguage::JsonPath && !self.allow_downgrade {
                self.sink.schema(
                    "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
                    &child(pointer, "QueryLanguage"),
                    qm.value.span,
                );
            }
            ql = own;
        }

        // Fields this type does not have at all, or only in the other language.
        for f in members {
            match fields::lookup(type_name, &f.key) {
                None => {
                    self.sink.schema(format!("Field '{}' is not supported", f.key), &child(pointer, &f.key), f.key_span)
                }
                Some(lang) if !lang.allows(ql) => self.field_language(f, pointer, ql, lang),
                Some(_) => {}
            }
        }
        // Only read fields valid here, so a misplaced field is reported once.
        let field =
            |key: &str| get(members, key).filter(|_| fields::lookup(type_name, key).is_some_and(|l| l.allows(ql)));

        let comment = field("Comment").and_then(|c| reader::string(&mut self.sink, c, &child(pointer, "Comment")));
        let transition = self.transition(type_name, members, pointer, &field);
        let has_result = matches!(type_name, "Task" | "Parallel" | "Map");
        let io = self.io(pointer, &field, if has_result { Scope::Result } else { Scope::Input });
        let assign = field("Assign").and_then(|a| {
            self.assign(a, &child(pointer, "Assign"), ql, if has_result { Scope::Result } else { Scope::Input })
        });

        let kind = match type_name {
            "Task" => StateKind::Task(Box::new(self.task(members, pointer, ql, &field)?)),
            "Pass" => {
                StateKind::Pass(Pass { result: field("Result").map(|r| Spanned::new(r.value.to_json(), r.value.span)) })
            }
            "Choice" => StateKind::Choice(self.choice(members, pointer, ql, &field)),
            "Wait" => StateKind::Wait(self.wait(members, pointer, ql, &field)),
            "Succeed" => StateKind::Succeed,
            "Fail" => StateKind::Fail(self.fail(members, pointer, ql, &field)),
            "Parallel" => StateKind::Parallel(Box::new(self.parallel(m, pointer, ql, &field))),
            "Map" => StateKind::Map(Box::new(self.map(m, members, pointer, ql, &field))),
            _ => return None,
        };
        Some(State {
            name,
            name_span: m.key_span,
            pointer: pointer.to_owned(),
            span: m.value.span,
            comment,
            query_language: ql,
            kind,
            transition,
            io,
            assign,
        })
    }

    /// `Next` / `End`: exactly one for Task, Pass, Wait, Parallel, Map; neither for the others
    /// (already refused as unsupported fields).
    fn transition<'a>(
        &mut self,
        type_name: &str,
        members: &'a [Member],
        pointer: &str,
        field: &dyn Fn(&str) -> Option<&'a Member>,
    ) -> Transition {
        if matches!(type_name, "Choice" | "Succeed" | "Fail") {
            return Transition::None;
        }
        let next = field("Next").and_then(|n| {
            reader::string(&mut self.sink, n, &child(pointer, "Next")).map(|s| Spanned::new(s, n.value.span))
        });
        let end = field("End").and_then(|e| reader::boolean(&mut self.sink, e, &child(pointer, "End")).map(|b| (b, e)));
        match (next, end) {
            (Some(_), Some((true, e))) => {
                self.sink.schema(
                    "There should only be one of the following fields: [Next, End]",
                    &child(pointer, "End"),
                    e.key_span,
                );
                Transition::End(e.value.span)
            }
            (Some(next), _) => Transition::Next(next),
            (None, Some((true, e))) => Transition::End(e.value.span),
            (None, end) => {
                // Report only when nothing was there or End is false; a Next of the wrong type was reported already.
                if get(members, "Next").is_none() {
                    let span = end.map_or_else(|| members_span(members, pointer), |(_, e)| e.value.span);
                    self.sink.schema(
                        format!("A {type_name} state must have either 'Next' or '\"End\": true'"),
                        pointer,
                        span,
                    );
                }
                Transition::None
            }
        }
    }

    fn io<'a>(&mut self, pointer: &str, field: &dyn Fn(&str) -> Option<&'a Member>, output_scope: Scope) -> Io {
        let mut io = Io::default();
        if let Some(m) = field("InputPath") {
            io.input_path = self.nullable_path(m, &child(pointer, "InputPath"), PATH);
        }
        if let Some(m) = field("OutputPath") {
            io.output_path = self.nullable_path(m, &child(pointer, "OutputPath"), PATH);
        }
        if let Some(m) = field("ResultPath") {
            io.result_path = self.nullable_path(m, &child(pointer, "ResultPath"), RESULT_PATH);
        }
        if let Some(m) = field("Parameters") {
            io.parameters = self.template_field(m, &child(pointer, "Parameters"));
        }
        if let Some(m) = field("ResultSelector") {
            io.result_selector = self.template_field(m, &child(pointer, "ResultSelector"));
        }
        if let Some(m) = field("Arguments") {
            io.arguments = self.arguments(m, &child(pointer, "Arguments"));
        }
        if let Some(m) = field("Output") {
            io.output = Some(self.jsonata_value(&m.value, &child(pointer, "Output"), "Output", output_scope));
        }
        io
    }

    /// JSONata `Arguments`: an object, array or a JSONata string (AWS refuses other literals).
    fn arguments(&mut self, m: &Member, pointer: &str) -> Option<JsonataValue> {
        match &m.value.value {
            Value::Object(_) | Value::Array(_) | Value::String { .. } => {
                Some(self.jsonata_value(&m.value, pointer, "Arguments", Scope::Input))
            }
            _ => {
                self.sink.expected("an object or a JSONata expression", m, pointer);
                None
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Task
    // -----------------------------------------------------------------------------------------

    fn task<'a>(
        &mut self,
        members: &'a [Member],
        pointer: &str,
        ql: QueryLanguage,
        field: &dyn Fn(&str) -> Option<&'a Member>,
    ) -> Option<Task> {
        let resource = match field("Resource") {
            Some(r) if r.value.as_object().is_some() => {
                // A CloudFormation intrinsic (`{"Fn::GetAtt": [...]}`, `{"Ref": ...}`) left in place:
                // valid in a template, but it must be substituted before the workflow runs.
                let text = r.value.to_json().to_string();
                self.sink.warning(
                    codes::UNRESOLVED_SUBSTITUTION,
                    format!("The resource {text} is a CloudFormation reference that was never substituted"),
                    &child(pointer, "Resource"),
                    r.value.span,
                );
                return Some(Task {
                    resource: Spanned::new(text, r.value.span),
                    credentials: field("Credentials")
                        .and_then(|c| self.credentials(c, &child(pointer, "Credentials"), ql)),
                    timeout_seconds: self.dynamic_int(field, pointer, ql, "TimeoutSeconds", 1, MAX_SECONDS),
                    heartbeat_seconds: self.dynamic_int(field, pointer, ql, "HeartbeatSeconds", 1, MAX_SECONDS),
                    handling: self.error_handling(field, pointer, ql),
                });
            }
            Some(r) => {
                reader::string(&mut self.sink, r, &child(pointer, "Resource")).map(|s| Spanned::new(s, r.value.span))
            }
            None => {
                self.sink.schema("These fields are required: [Resource]", pointer, members_span(members, pointer));
                None
            }
        };
        if let Some(r) = &resource {
            self.check_resource(r, &child(pointer, "Resource"));
        }
        at_most_one(&mut self.sink, members, &["TimeoutSeconds", "TimeoutSecondsPath"], pointer);
        at_most_one(&mut self.sink, members, &["HeartbeatSeconds", "HeartbeatSecondsPath"], pointer);
        let timeout_seconds = self.dynamic_int(field, pointer, ql, "TimeoutSeconds", 1, MAX_SECONDS);
        let heartbeat_seconds = self.dynamic_int(field, pointer, ql, "HeartbeatSeconds", 1, MAX_SECONDS);
        if let (Some(Dynamic::Literal(t)), Some(Dynamic::Literal(h))) = (&timeout_seconds, &heartbeat_seconds)
            && h.value >= t.value
        {
            self.sink.schema(
                format!("HeartbeatSeconds ({}) must be smaller than TimeoutSeconds ({})", h.value, t.value),
                &child(pointer, "HeartbeatSeconds"),
                h.span,
            );
        }
        let credentials = field("Credentials").and_then(|c| self.credentials(c, &child(pointer, "Credentials"), ql));
        let handling = self.error_handling(field, pointer, ql);
        Some(Task {
            resource: resource.unwrap_or_else(|| Spanned::new(String::new(), members_span(members, pointer))),
            credentials,
            timeout_seconds,
            heartbeat_seconds,
            handling,
        })
    }

    /// A `Resource` may be anything for a local engine (`foo:bar`, `module:x`, a name), but one that
    /// says it is an ARN must be a well-formed one, and an unresolved `${...}` is flagged.
    fn check_resource(&mut self, r: &Spanned<String>, pointer: &str) {
        let s = r.value.as_str();
        if let Some(at) = s.find("${") {
            if s[at..].contains('}') {
                self.sink.warning(
                    codes::UNRESOLVED_SUBSTITUTION,
                    format!("The resource '{s}' holds a definition substitution that was never replaced"),
                    pointer,
                    r.span,
                );
            } else {
                self.sink.error(
                    codes::INVALID_RESOURCE,
                    format!("The resource '{s}' holds an unterminated '${{' substitution"),
                    pointer,
                    r.span,
                );
            }
            return;
        }
        if s.is_empty() {
            self.sink.error(codes::INVALID_RESOURCE, "The field 'Resource' must not be empty", pointer, r.span);
            return;
        }
        if s.starts_with("arn:")
            && let Err(why) = crate::arn::check(s)
        {
            self.sink.error(
                codes::INVALID_RESOURCE,
                format!("Value is not a valid resource ARN: '{s}' ({why})"),
                pointer,
                r.span,
            );
        }
    }

    fn credentials(&mut self, m: &Member, pointer: &str, ql: QueryLanguage) -> Option<Credentials> {
        let members = reader::object(&mut self.sink, m, pointer)?;
        let has_role =
            get(members, "RoleArn").is_some() || (ql == QueryLanguage::JsonPath && get(members, "RoleArn.$").is_some());
        if !has_role {
            self.sink.schema(
                format!("The field 'RoleArn' is required but was missing at {pointer}"),
                pointer,
                m.value.span,
            );
        }
        for f in members {
            let ok = f.key == "RoleArn" || (ql == QueryLanguage::JsonPath && f.key == "RoleArn.$");
            if !ok {
                self.sink.schema(format!("Field '{}' is not supported", f.key), &child(pointer, &f.key), f.key_span);
            }
        }
        match ql {
            QueryLanguage::JsonPath => self.template(&m.value, pointer).map(Credentials::JsonPath),
            QueryLanguage::Jsonata => {
                Some(Credentials::Jsonata(self.jsonata_value(&m.value, pointer, "Credentials", Scope::Input)))
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Retry and Catch
    // -----------------------------------------------------------------------------------------

    fn error_handling<'a>(
        &mut self,
        field: &dyn Fn(&str) -> Option<&'a Member>,
        pointer: &str,
        ql: QueryLanguage,
    ) -> ErrorHandling {
        let mut handling = ErrorHandling::default();
        if let Some(m) = field("Retry") {
            let p = child(pointer, "Retry");
            if let Some(items) = reader::array(&mut self.sink, m, &p) {
                for (i, item) in items.iter().enumerate() {
                    if let Some(r) = self.retrier(item, &index(&p, i)) {
                        handling.retry.push(r);
                    }
                }
            }
        }
        if let Some(m) = field("Catch") {
            let p = child(pointer, "Catch");
            if let Some(items) = reader::array(&mut self.sink, m, &p) {
                for (i, item) in items.iter().enumerate() {
                    if let Some(c) = self.catcher(item, &index(&p, i), ql) {
                        handling.catch.push(c);
                    }
                }
            }
        }
        handling
    }

    fn error_equals(&mut self, node: &Node, members: &[Member], pointer: &str) -> Vec<Spanned<String>> {
        let Some(m) = get(members, "ErrorEquals") else {
            self.sink.schema("These fields are required: [ErrorEquals]", pointer, node.span);
            return Vec::new();
        };
        let p = child(pointer, "ErrorEquals");
        let Some(items) = reader::array(&mut self.sink, m, &p) else { return Vec::new() };
        if items.is_empty() {
            self.sink.schema("Value cannot be empty: 'ErrorEquals' needs at least one error name", &p, m.value.span);
        }
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.as_str() {
                Some(s) => out.push(Spanned::new(s.to_owned(), item.span)),
                None => self.sink.schema(
                    format!("Error names must be strings, but found {}", reader::article(item.kind_name())),
                    &index(&p, i),
                    item.span,
                ),
            }
        }
        out
    }

    fn retrier(&mut self, node: &Node, pointer: &str) -> Option<Retrier> {
        let Some(members) = node.as_object() else {
            self.sink.schema(
                format!("A retrier must be an object, but was {}", reader::article(node.kind_name())),
                pointer,
                node.span,
            );
            return None;
        };
        self.unknown_fields(members, pointer, &fields::RETRIER.iter().map(|(n, _)| *n).collect::<Vec<_>>());
        let error_equals = self.error_equals(node, members, pointer);
        let int = |b: &mut Self, key: &str, min: u64, max: u64| {
            get(members, key).and_then(|m| {
                reader::integer(&mut b.sink, m, &child(pointer, key), min, max).map(|v| Spanned::new(v, m.value.span))
            })
        };
        let interval_seconds = int(self, "IntervalSeconds", 1, MAX_SECONDS);
        let max_attempts = int(self, "MaxAttempts", 0, MAX_SECONDS);
        let max_delay_seconds = int(self, "MaxDelaySeconds", 1, MAX_DELAY_LIMIT - 1);
        let backoff_rate = get(members, "BackoffRate").and_then(|m| {
            reader::number(&mut self.sink, m, &child(pointer, "BackoffRate"), 1.0, f64::MAX)
                .map(|v| Spanned::new(v, m.value.span))
        });
        if let Some(m) = get(members, "Comment") {
            reader::string(&mut self.sink, m, &child(pointer, "Comment"));
        }
        let jitter = match get(members, "JitterStrategy") {
            None => Jitter::None,
            Some(m) => match m.value.as_str() {
                Some("FULL") => Jitter::Full,
                Some("NONE") => Jitter::None,
                _ => {
                    self.sink.schema(
                        "The field 'JitterStrategy' should have one of these values: [FULL, NONE]",
                        &child(pointer, "JitterStrategy"),
                        m.value.span,
                    );
                    Jitter::None
                }
            },
        };
        Some(Retrier {
            error_equals,
            interval_seconds,
            max_attempts,
            backoff_rate,
            max_delay_seconds,
            jitter,
            span: node.span,
            pointer: pointer.to_owned(),
        })
    }

    fn catcher(&mut self, node: &Node, pointer: &str, ql: QueryLanguage) -> Option<Catcher> {
        let Some(members) = node.as_object() else {
            self.sink.schema(
                format!("A catcher must be an object, but was {}", reader::article(node.kind_name())),
                pointer,
                node.span,
            );
            return None;
        };
        for f in members {
            match fields::CATCHER.iter().find(|(n, _)| *n == f.key) {
                None => {
                    self.sink.schema(format!("Field '{}' is not supported", f.key), &child(pointer, &f.key), f.key_span)
                }
                Some((_, lang)) if !lang.allows(ql) => self.field_language(f, pointer, ql, *lang),
                _ => {}
            }
        }
        let error_equals = self.error_equals(node, members, pointer);
        let next = match get(members, "Next") {
            Some(m) => {
                reader::string(&mut self.sink, m, &child(pointer, "Next")).map(|s| Spanned::new(s, m.value.span))
            }
            None => {
                self.sink.schema("These fields are required: [Next]", pointer, node.span);
                None
            }
        }?;
        let mut catcher = Catcher {
            error_equals,
            next,
            result_path: None,
            output: None,
            assign: None,
            span: node.span,
            pointer: pointer.to_owned(),
        };
        if let Some(m) = get(members, "Comment") {
            reader::string(&mut self.sink, m, &child(pointer, "Comment"));
        }
        if ql == QueryLanguage::JsonPath
            && let Some(m) = get(members, "ResultPath")
        {
            catcher.result_path = self.nullable_path(m, &child(pointer, "ResultPath"), RESULT_PATH);
        }
        if ql == QueryLanguage::Jsonata
            && let Some(m) = get(members, "Output")
        {
            catcher.output =
                Some(self.jsonata_value(&m.value, &child(pointer, "Output"), "Output", Scope::ErrorOutput));
        }
        if let Some(m) = get(members, "Assign") {
            catcher.assign = self.assign(m, &child(pointer, "Assign"), ql, Scope::ErrorOutput);
        }
        Some(catcher)
    }

    // -----------------------------------------------------------------------------------------
    // Choice
    // -----------------------------------------------------------------------------------------

    fn choice<'a>(
        &mut self,
        members: &'a [Member],
        pointer: &str,
        ql: QueryLanguage,
        field: &dyn Fn(&str) -> Option<&'a Member>,
    ) -> Choice {
        let default = field("Default").and_then(|d| {
            reader::string(&mut self.sink, d, &child(pointer, "Default")).map(|s| Spanned::new(s, d.value.span))
        });
        let mut choices = Vec::new();
        match field("Choices") {
            None => self.sink.schema("These fields are required: [Choices]", pointer, members_span(members, pointer)),
            Some(m) => {
                let p = child(pointer, "Choices");
                if let Some(items) = reader::array(&mut self.sink, m, &p) {
                    if items.is_empty() {
                        self.sink.schema(format!("Value cannot be empty at {p}"), &p, m.value.span);
                    }
                    for (i, item) in items.iter().enumerate() {
                        if let Some(rule) = self.choice_rule(item, &index(&p, i), ql) {
                            choices.push(rule);
                        }
                    }
                }
            }
        }
        Choice { choices, default }
    }

    fn choice_rule(&mut self, node: &Node, pointer: &str, ql: QueryLanguage) -> Option<ChoiceRule> {
        let Some(members) = node.as_object() else {
            self.sink.schema(
                format!("A Choice rule must be an object, but was {}", reader::article(node.kind_name())),
                pointer,
                node.span,
            );
            return None;
        };
        let next = match get(members, "Next") {
            Some(m) => {
                reader::string(&mut self.sink, m, &child(pointer, "Next")).map(|s| Spanned::new(s, m.value.span))
            }
            None => {
                self.sink.schema("These fields are required: [Next]", pointer, node.span);
                None
            }
        };
        let assign = get(members, "Assign").and_then(|m| self.assign(m, &child(pointer, "Assign"), ql, Scope::Input));
        if let Some(m) = get(members, "Comment") {
            reader::string(&mut self.sink, m, &child(pointer, "Comment"));
        }
        let (condition, output) = match ql {
            QueryLanguage::Jsonata => {
                for f in members {
                    if !matches!(f.key.as_str(), "Next" | "Comment" | "Assign" | "Condition" | "Output") {
                        self.field_not_here(f, pointer, ql);
                    }
                }
                let condition = match get(members, "Condition") {
                    None => {
                        self.sink.schema("These fields are required: [Condition]", pointer, node.span);
                        None
                    }
                    Some(c) => self.jsonata_condition(c, &child(pointer, "Condition")).map(Condition::Jsonata),
                };
                let output = get(members, "Output")
                    .map(|o| self.jsonata_value(&o.value, &child(pointer, "Output"), "Output", Scope::Input));
                (condition, output)
            }
            QueryLanguage::JsonPath => {
                let rest: Vec<Member> = members
                    .iter()
                    .filter(|f| !matches!(f.key.as_str(), "Next" | "Comment" | "Assign"))
                    .cloned()
                    .collect();
                (self.condition(node, &rest, pointer, ql), None)
            }
        };
        Some(ChoiceRule {
            condition: condition?,
            next: next?,
            output,
            assign,
            span: node.span,
            pointer: pointer.to_owned(),
        })
    }

    fn field_not_here(&mut self, f: &Member, pointer: &str, ql: QueryLanguage) {
        let other = fields::CHOICE_RULE.iter().find(|(n, _)| *n == f.key).map(|(_, l)| *l);
        match other {
            Some(lang) if !lang.allows(ql) => self.field_language(f, pointer, ql, lang),
            _ if ql == QueryLanguage::Jsonata && comparison_op(&f.key).is_some() => {
                self.field_language(f, pointer, ql, Lang::JsonPath)
            }
            _ => self.sink.schema(format!("Field '{}' is not supported", f.key), &child(pointer, &f.key), f.key_span),
        }
    }

    fn jsonata_condition(&mut self, m: &Member, pointer: &str) -> Option<JsonataCondition> {
        match &m.value.value {
            Value::Bool(b) => Some(JsonataCondition::Literal(Spanned::new(*b, m.value.span))),
            Value::String { .. } => match self.jsonata_value(&m.value, pointer, "Condition", Scope::Input) {
                JsonataValue::Expr(e) => Some(JsonataCondition::Expr(e)),
                _ => {
                    self.sink.schema(
                        "The field 'Condition' must be a boolean or a JSONata expression '{% ... %}'",
                        pointer,
                        m.value.span,
                    );
                    None
                }
            },
            _ => {
                self.sink.expected("a boolean or a JSONata expression", m, pointer);
                None
            }
        }
    }

    /// A JSONPath condition: `And`/`Or`/`Not`, or `Variable` with exactly one comparison operator.
    /// `members` excludes Next/Comment/Assign of a top-level rule.
    fn condition(&mut self, node: &Node, members: &[Member], pointer: &str, ql: QueryLanguage) -> Option<Condition> {
        let boolean: Vec<&Member> = members.iter().filter(|m| matches!(m.key.as_str(), "And" | "Or" | "Not")).collect();
        let ops: Vec<(&Member, ComparisonOp, bool)> =
            members.iter().filter_map(|m| comparison_op(&m.key).map(|(op, path)| (m, op, path))).collect();
        for f in members {
            let known = matches!(f.key.as_str(), "And" | "Or" | "Not" | "Variable" | "Comment")
                || comparison_op(&f.key).is_some();
            if !known {
                if matches!(f.key.as_str(), "Next" | "Assign") {
                    self.sink.schema(
                        format!("Field '{}' is not supported in a nested Choice rule", f.key),
                        &child(pointer, &f.key),
                        f.key_span,
                    );
                } else {
                    self.field_not_here(f, pointer, ql);
                }
            }
        }
        let variable = get(members, "Variable");
        if !boolean.is_empty() {
            if boolean.len() > 1 || !ops.is_empty() || variable.is_some() {
                let extra = boolean.get(1).copied().or(variable).or(ops.first().map(|o| o.0));
                let span = extra.map_or(node.span, |m| m.key_span);
                self.sink.schema(
                    "A Choice rule must have exactly one of: a comparison (Variable and one operator), And, Or, Not",
                    pointer,
                    span,
                );
                return None;
            }
            let b = boolean[0];
            let p = child(pointer, &b.key);
            return match b.key.as_str() {
                "Not" => {
                    let inner = reader::object(&mut self.sink, b, &p)?;
                    let inner_node = &b.value;
                    let rest: Vec<Member> = inner.to_vec();
                    self.condition(inner_node, &rest, &p, ql).map(|c| Condition::Not(Box::new(c)))
                }
                key => {
                    let items = reader::array(&mut self.sink, b, &p)?;
                    if items.is_empty() {
                        self.sink.schema(format!("Value cannot be empty at {p}"), &p, b.value.span);
                    }
                    let mut rules = Vec::new();
                    for (i, item) in items.iter().enumerate() {
                        let ip = index(&p, i);
                        match item.as_object() {
                            Some(inner) => {
                                if let Some(c) = self.condition(item, inner, &ip, ql) {
                                    rules.push(c);
                                }
                            }
                            None => self.sink.schema(
                                format!(
                                    "A Choice rule must be an object, but was {}",
                                    reader::article(item.kind_name())
                                ),
                                &ip,
                                item.span,
                            ),
                        }
                    }
                    Some(if key == "And" { Condition::And(rules) } else { Condition::Or(rules) })
                }
            };
        }
        let Some(variable) = variable else {
            if ops.is_empty() {
                self.sink.schema(
                    "A Choice rule must have a comparison (Variable and one operator), And, Or or Not",
                    pointer,
                    node.span,
                );
            } else {
                self.sink.schema("These fields are required: [Variable]", pointer, node.span);
            }
            return None;
        };
        if ops.len() != 1 {
            let span = ops.get(1).map_or(node.span, |o| o.0.key_span);
            self.sink.schema("Each Choice Rule can only have one comparison operator.", pointer, span);
            return None;
        }
        let var_path = self.path_string(variable, &child(pointer, "Variable"), PATH)?;
        let (m, op, is_path) = ops[0];
        let p = child(pointer, &m.key);
        let operand = if is_path {
            Operand::Path(self.path_string(m, &p, REFERENCE_WITH_CONTEXT)?)
        } else {
            self.operand(m, op, &p)?
        };
        Some(Condition::Compare { variable: var_path, op: Spanned::new(op, m.key_span), operand })
    }

    /// The literal operand of a comparison, with the type its operator needs (INVENTORY §3.3).
    fn operand(&mut self, m: &Member, op: ComparisonOp, pointer: &str) -> Option<Operand> {
        use ComparisonOp::*;
        match op {
            StringEquals | StringLessThan | StringGreaterThan | StringLessThanEquals | StringGreaterThanEquals => {
                reader::string(&mut self.sink, m, pointer).map(Operand::String)
            }
            StringMatches => {
                let s = reader::string(&mut self.sink, m, pointer)?;
                Some(Operand::String(s))
            }
            NumericEquals | NumericLessThan | NumericGreaterThan | NumericLessThanEquals | NumericGreaterThanEquals => {
                match m.value.as_number() {
                    Some(n) => Some(Operand::Number(n.as_f64())),
                    None => {
                        self.sink.expected("a number", m, pointer);
                        None
                    }
                }
            }
            BooleanEquals | IsNull | IsPresent | IsNumeric | IsString | IsBoolean | IsTimestamp => {
                reader::boolean(&mut self.sink, m, pointer).map(Operand::Bool)
            }
            TimestampEquals
            | TimestampLessThan
            | TimestampGreaterThan
            | TimestampLessThanEquals
            | TimestampGreaterThanEquals => {
                let s = reader::string(&mut self.sink, m, pointer)?;
                if !crate::timestamp::is_valid(&s) {
                    self.sink.schema(
                        format!(
                            "The field '{}' should be a timestamp (RFC 3339, e.g. 2016-03-14T01:59:00Z), but was '{s}'",
                            m.key
                        ),
                        pointer,
                        m.value.span,
                    );
                    return None;
                }
                Some(Operand::String(s))
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Wait, Fail
    // -----------------------------------------------------------------------------------------

    fn wait<'a>(
        &mut self,
        members: &'a [Member],
        pointer: &str,
        ql: QueryLanguage,
        field: &dyn Fn(&str) -> Option<&'a Member>,
    ) -> Wait {
        let names = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];
        let present: Vec<&Member> = names.iter().filter_map(|n| field(n)).collect();
        if present.len() != 1 {
            let span = present.get(1).map_or_else(|| members_span(members, pointer), |m| m.key_span);
            let allowed: Vec<&str> =
                names.iter().copied().filter(|n| fields::lookup("Wait", n).is_some_and(|l| l.allows(ql))).collect();
            self.sink.schema(format!("A Wait state must have exactly one of: [{}]", allowed.join(", ")), pointer, span);
            return Wait { duration: WaitDuration::Invalid };
        }
        let m = present[0];
        let p = child(pointer, &m.key);
        let duration = match m.key.as_str() {
            "Seconds" => self.dynamic_int(field, pointer, ql, "Seconds", 0, u64::MAX).map(WaitDuration::Seconds),
            "SecondsPath" => self.path_string(m, &p, REFERENCE).map(|e| WaitDuration::Seconds(Dynamic::Path(e))),
            "TimestampPath" => {
                self.path_string(m, &p, REFERENCE).map(|e| WaitDuration::Timestamp(DynamicString::Path(e)))
            }
            _ => self.timestamp(m, &p, ql).map(WaitDuration::Timestamp),
        };
        Wait { duration: duration.unwrap_or(WaitDuration::Invalid) }
    }

    fn timestamp(&mut self, m: &Member, pointer: &str, ql: QueryLanguage) -> Option<DynamicString> {
        let s = reader::string(&mut self.sink, m, pointer)?;
        if ql == QueryLanguage::Jsonata && jsonata::strip_delimiters(&s).is_some() {
            return match self.jsonata_value(&m.value, pointer, &m.key, Scope::Input) {
                JsonataValue::Expr(e) => Some(DynamicString::Jsonata(e)),
                _ => None,
            };
        }
        if !crate::timestamp::is_valid(&s) {
            self.sink.schema(
                format!(
                    "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {s}"
                ),
                pointer,
                m.value.span,
            );
            return None;
        }
        Some(DynamicString::Literal(Spanned::new(s, m.value.span)))
    }

    fn fail<'a>(
        &mut self,
        members: &'a [Member],
        pointer: &str,
        ql: QueryLanguage,
        field: &dyn Fn(&str) -> Option<&'a Member>,
    ) -> Fail {
        at_most_one(&mut self.sink, members, &["Error", "ErrorPath"], pointer);
        at_most_one(&mut self.sink, members, &["Cause", "CausePath"], pointer);
        let read = |b: &mut Self, lit: &str, path: &str| -> Option<DynamicString> {
            if let Some(m) = field(lit) {
                let p = child(pointer, lit);
                let s = reader::string(&mut b.sink, m, &p)?;
                if ql == QueryLanguage::Jsonata && jsonata::strip_delimiters(&s).is_some() {
                    return match b.jsonata_value(&m.value, &p, lit, Scope::Input) {
                        JsonataValue::Expr(e) => Some(DynamicString::Jsonata(e)),
                        _ => None,
                    };
                }
                return Some(DynamicString::Literal(Spanned::new(s, m.value.span)));
            }
            let m = field(path)?;
            let p = child(pointer, path);
            let s = reader::string(&mut b.sink, m, &p)?;
            if jsonpath::is_path_like(&s) {
                b.path_string(m, &p, REFERENCE_WITH_CONTEXT).map(DynamicString::Path)
            } else {
                b.intrinsic(&s, &m.value, &p).map(DynamicString::Intrinsic)
            }
        };
        let error = read(self, "Error", "ErrorPath");
        let cause = read(self, "Cause", "CausePath");
        Fail { error, cause }
    }

    // -----------------------------------------------------------------------------------------
    // Parallel, Map
    // -----------------------------------------------------------------------------------------

    fn parallel<'a>(
        &mut self,
        state: &Member,
        pointer: &str,
        ql: QueryLanguage,
        field: &dyn Fn(&str) -> Option<&'a Member>,
    ) -> Parallel {
        let mut branches = Vec::new();
        match field("Branches") {
            None => self.sink.schema("These fields are required: [Branches]", pointer, state.key_span),
            Some(m) => {
                let p = child(pointer, "Branches");
                if let Some(items) = reader::array(&mut self.sink, m, &p) {
                    if items.is_empty() {
                        self.sink.schema(format!("Value cannot be empty at {p}"), &p, m.value.span);
                    }
                    for (i, item) in items.iter().enumerate() {
                        let ip = index(&p, i);
                        match item.as_object() {
                            Some(members) => {
                                let outer = self.sink.state.take();
                                let block = self.block(item, members, &ip, BlockKind::Branch);
                                self.sink.state = outer;
                                branches.extend(block);
                            }
                            None => self.sink.schema(
                                format!("A branch must be an object, but was {}", reader::article(item.kind_name())),
                                &ip,
                                item.span,
                            ),
                        }
                    }
                }
            }
        }
        Parallel { branches, handling: self.error_handling(field, pointer, ql) }
    }

    fn map<'a>(
        &mut self,
        state: &Member,
        members: &'a [Member],
        pointer: &str,
        ql: QueryLanguage,
        field: &dyn Fn(&str) -> Option<&'a Member>,
    ) -> Map {
        // Item processor: ItemProcessor or the deprecated Iterator, exactly one.
        let processor_members: Vec<&Member> = ["ItemProcessor", "Iterator"].iter().filter_map(|n| field(n)).collect();
        let mut processor = None;
        let mut processor_config = ProcessorConfig::default();
        if processor_members.len() != 1 {
            let span = processor_members.get(1).map_or(state.key_span, |m| m.key_span);
            self.sink.schema("A Map state must have exactly one of: [ItemProcessor, Iterator]", pointer, span);
        }
        if let Some(m) = processor_members.first() {
            let p = child(pointer, &m.key);
            if let Some(inner) = reader::object(&mut self.sink, m, &p) {
                if let Some(cfg) = get(inner, "ProcessorConfig") {
                    processor_config = self.processor_config(cfg, &child(&p, "ProcessorConfig"));
                }
                let kind = if m.key == "Iterator" { BlockKind::Iterator } else { BlockKind::ItemProcessor };
                let outer = self.sink.state.take();
                // A DISTRIBUTED Map runs its item processor as separate child executions, which may
                // use JSONPath inside a JSONata machine.
                let distributed = processor_config.mode == MapMode::Distributed;
                let outer_downgrade = self.allow_downgrade;
                self.allow_downgrade |= distributed;
                processor = self.block(&m.value, inner, &p, kind);
                self.allow_downgrade = outer_downgrade;
                self.sink.state = outer;
            }
        }

        at_most_one(&mut self.sink, members, &["ItemSelector", "Parameters"], pointer);
        at_most_one(&mut self.sink, members, &["MaxConcurrency", "MaxConcurrencyPath"], pointer);
        at_most_one(&mut self.sink, members, &["ToleratedFailureCount", "ToleratedFailureCountPath"], pointer);
        at_most_one(
            &mut self.sink,
            members,
            &["ToleratedFailurePercentage", "ToleratedFailurePercentagePath"],
            pointer,
        );

        let items_path = field("ItemsPath").and_then(|m| {
            let p = child(pointer, "ItemsPath");
            if m.value.is_null() {
                self.sink.schema("The field 'ItemsPath' should be a Reference Path, but was null", &p, m.value.span);
                return None;
            }
            self.path_string(m, &p, REFERENCE_WITH_CONTEXT)
        });
        let items = field("Items").and_then(|m| {
            let p = child(pointer, "Items");
            match &m.value.value {
                Value::Array(_) | Value::String { .. } | Value::Object(_) => {
                    Some(self.jsonata_value(&m.value, &p, "Items", Scope::Input))
                }
                _ => {
                    self.sink.expected("an array or a JSONata expression", m, &p);
                    None
                }
            }
        });
        let item_selector = match (field("ItemSelector"), field("Parameters")) {
            (Some(m), _) | (None, Some(m)) => {
                let p = child(pointer, &m.key);
                match ql {
                    QueryLanguage::JsonPath => self.template_field(m, &p).map(ItemSelector::JsonPath),
                    QueryLanguage::Jsonata => {
                        Some(ItemSelector::Jsonata(self.jsonata_value(&m.value, &p, &m.key, Scope::Input)))
                    }
                }
            }
            (None, None) => None,
        };
        let max_concurrency = self.dynamic_int(field, pointer, ql, "MaxConcurrency", 0, u64::MAX);
        let tolerated_failure_count = self.dynamic_int(field, pointer, ql, "ToleratedFailureCount", 0, u64::MAX);
        let tolerated_failure_percentage = self.dynamic_percentage(field, pointer, ql);
        let label = field("Label").and_then(|m| {
            let p = child(pointer, "Label");
            let s = reader::string(&mut self.sink, m, &p)?;
            if s.is_empty() {
                self.sink.schema("Label cannot be empty", &p, m.value.span);
            } else if s.chars().count() > MAX_LABEL_CHARS {
                self.sink.schema(format!("Label cannot exceed {MAX_LABEL_CHARS} characters"), &p, m.value.span);
            } else if s.chars().any(|c| !label_char(c)) {
                self.sink.schema("Label contains invalid character", &p, m.value.span);
            }
            Some(Spanned::new(s, m.value.span))
        });
        let item_reader = field("ItemReader").and_then(|m| self.item_reader(m, &child(pointer, "ItemReader"), ql));
        let item_batcher = field("ItemBatcher").and_then(|m| self.item_batcher(m, &child(pointer, "ItemBatcher"), ql));
        let result_writer =
            field("ResultWriter").and_then(|m| self.result_writer(m, &child(pointer, "ResultWriter"), ql));
        if processor_config.mode == MapMode::Inline {
            for (key, present) in [("ItemReader", item_reader.is_some()), ("ResultWriter", result_writer.is_some())] {
                if present && let Some(m) = field(key) {
                    self.sink.warning(
                        codes::DISTRIBUTED_ONLY,
                        format!("Field '{key}' is only supported in DISTRIBUTED mode (ProcessorConfig.Mode)"),
                        &child(pointer, key),
                        m.key_span,
                    );
                }
            }
        }
        Map {
            processor,
            processor_config,
            items_path,
            items,
            item_selector,
            item_reader,
            item_batcher,
            result_writer,
            max_concurrency,
            tolerated_failure_count,
            tolerated_failure_percentage,
            label,
            handling: self.error_handling(field, pointer, ql),
        }
    }

    fn processor_config(&mut self, m: &Member, pointer: &str) -> ProcessorConfig {
        let mut cfg = ProcessorConfig::default();
        let Some(members) = reader::object(&mut self.sink, m, pointer) else { return cfg };
        self.unknown_fields(members, pointer, &["Mode", "ExecutionType"]);
        if let Some(mode) = get(members, "Mode") {
            match mode.value.as_str() {
                Some("INLINE") => cfg.mode = MapMode::Inline,
                Some("DISTRIBUTED") => cfg.mode = MapMode::Distributed,
                _ => self.sink.schema(
                    "The field 'Mode' should have one of these values: [INLINE, DISTRIBUTED]",
                    &child(pointer, "Mode"),
                    mode.value.span,
                ),
            }
        }
        if let Some(t) = get(members, "ExecutionType") {
            match t.value.as_str() {
                Some("STANDARD") => cfg.execution_type = Some(ExecutionType::Standard),
                Some("EXPRESS") => cfg.execution_type = Some(ExecutionType::Express),
                _ => self.sink.schema(
                    "The field 'ExecutionType' should have one of these values: [STANDARD, EXPRESS]",
                    &child(pointer, "ExecutionType"),
                    t.value.span,
                ),
            }
        }
        if cfg.mode == MapMode::Distributed && get(members, "ExecutionType").is_none() {
            self.sink.schema("These fields are required: [ExecutionType]", pointer, m.value.span);
        }
        cfg
    }

    fn resource_arguments(
        &mut self,
        members: &[Member],
        pointer: &str,
        ql: QueryLanguage,
    ) -> Option<ResourceArguments> {
        match ql {
            QueryLanguage::JsonPath => {
                if let Some(m) = get(members, "Arguments") {
                    self.field_language(m, pointer, ql, Lang::Jsonata);
                }
                get(members, "Parameters")
                    .and_then(|m| self.template_field(m, &child(pointer, "Parameters")))
                    .map(ResourceArguments::JsonPath)
            }
            QueryLanguage::Jsonata => {
                if let Some(m) = get(members, "Parameters") {
                    self.field_language(m, pointer, ql, Lang::JsonPath);
                }
                get(members, "Arguments").map(|m| {
                    ResourceArguments::Jsonata(self.jsonata_value(
                        &m.value,
                        &child(pointer, "Arguments"),
                        "Arguments",
                        Scope::Input,
                    ))
                })
            }
        }
    }

    /// AWS's message for a field that only the other query language has.
    fn field_language(&mut self, m: &Member, pointer: &str, ql: QueryLanguage, only: Lang) {
        let only = if only == Lang::Jsonata { "JSONata" } else { "JSONPath" };
        self.sink.schema(
            format!(
                "The QueryLanguage is set to '{}', but field '{}' is only supported for the '{only}' QueryLanguage",
                ql.as_str(),
                m.key
            ),
            &child(pointer, &m.key),
            m.key_span,
        );
    }

    fn item_reader(&mut self, m: &Member, pointer: &str, ql: QueryLanguage) -> Option<ItemReader> {
        let members = reader::object(&mut self.sink, m, pointer)?;
        self.unknown_fields(members, pointer, &["Resource", "Parameters", "Arguments", "ReaderConfig"]);
        let resource = match get(members, "Resource") {
            Some(r) => {
                reader::string(&mut self.sink, r, &child(pointer, "Resource")).map(|s| Spanned::new(s, r.value.span))
            }
            None => {
                self.sink.schema("These fields are required: [Resource]", pointer, m.value.span);
                None
            }
        };
        let arguments = self.resource_arguments(members, pointer, ql);
        let reader_config = get(members, "ReaderConfig").and_then(|c| {
            let p = child(pointer, "ReaderConfig");
            let cm = reader::object(&mut self.sink, c, &p)?;
            self.unknown_fields(
                cm,
                &p,
                &[
                    "InputType",
                    "Transformation",
                    "ManifestType",
                    "CSVHeaderLocation",
                    "CSVHeaders",
                    "CSVDelimiter",
                    "MaxItems",
                    "MaxItemsPath",
                    "ItemsPointer",
                ],
            );
            at_most_one(&mut self.sink, cm, &["MaxItems", "MaxItemsPath"], &p);
            let mut cfg = ReaderConfig::default();
            let choice = |b: &mut Self, key: &str, values: &[&str]| -> Option<Spanned<String>> {
                let f = get(cm, key)?;
                let s = reader::string(&mut b.sink, f, &child(&p, key))?;
                if !values.contains(&s.as_str()) {
                    b.sink.schema(
                        format!("The field '{key}' should have one of these values: [{}]", values.join(", ")),
                        &child(&p, key),
                        f.value.span,
                    );
                }
                Some(Spanned::new(s, f.value.span))
            };
            cfg.input_type = choice(self, "InputType", &["CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"]);
            cfg.transformation = choice(self, "Transformation", &["NONE", "LOAD_AND_FLATTEN"]);
            cfg.manifest_type = choice(self, "ManifestType", &["ATHENA_DATA", "S3_INVENTORY"]);
            cfg.csv_header_location = choice(self, "CSVHeaderLocation", &["FIRST_ROW", "GIVEN"]);
            cfg.csv_delimiter = choice(self, "CSVDelimiter", &["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"]);
            if let Some(f) = get(cm, "ItemsPointer") {
                cfg.items_pointer = reader::string(&mut self.sink, f, &child(&p, "ItemsPointer"))
                    .map(|s| Spanned::new(s, f.value.span));
            }
            if let Some(f) = get(cm, "CSVHeaders") {
                let hp = child(&p, "CSVHeaders");
                if let Some(items) = reader::array(&mut self.sink, f, &hp) {
                    let headers: Vec<String> = items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect();
                    if headers.len() != items.len() {
                        self.sink.schema("CSVHeaders must be an array of strings", &hp, f.value.span);
                    }
                    cfg.csv_headers = Some(headers);
                }
            }
            let cfield = |key: &str| get(cm, key);
            cfg.max_items = self.dynamic_int(&cfield, &p, ql, "MaxItems", 1, MAX_ITEMS);
            Some(cfg)
        });
        // Checked to the end even without `Resource`, so one run reports every problem.
        Some(ItemReader { resource: resource?, arguments, reader_config })
    }

    fn item_batcher(&mut self, m: &Member, pointer: &str, ql: QueryLanguage) -> Option<ItemBatcher> {
        let members = reader::object(&mut self.sink, m, pointer)?;
        self.unknown_fields(
            members,
            pointer,
            &[
                "MaxItemsPerBatch",
                "MaxItemsPerBatchPath",
                "MaxInputBytesPerBatch",
                "MaxInputBytesPerBatchPath",
                "BatchInput",
            ],
        );
        at_most_one(&mut self.sink, members, &["MaxItemsPerBatch", "MaxItemsPerBatchPath"], pointer);
        at_most_one(&mut self.sink, members, &["MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"], pointer);
        let f = |key: &str| get(members, key);
        let max_items_per_batch = self.dynamic_int(&f, pointer, ql, "MaxItemsPerBatch", 1, u64::MAX);
        let max_input_bytes_per_batch = self.dynamic_int(&f, pointer, ql, "MaxInputBytesPerBatch", 1, 262_144);
        // Presence, not validity: a size field that is out of range was reported on its own.
        let sizes = ["MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"];
        if !sizes.iter().any(|k| get(members, k).is_some()) {
            self.sink.schema(
                "An ItemBatcher needs at least one of: [MaxItemsPerBatch, MaxItemsPerBatchPath, MaxInputBytesPerBatch, MaxInputBytesPerBatchPath]",
                pointer,
                m.value.span,
            );
        }
        let batch_input = get(members, "BatchInput").and_then(|b| {
            let p = child(pointer, "BatchInput");
            match ql {
                QueryLanguage::JsonPath => self.template_field(b, &p).map(ResourceArguments::JsonPath),
                QueryLanguage::Jsonata => {
                    Some(ResourceArguments::Jsonata(self.jsonata_value(&b.value, &p, "BatchInput", Scope::Input)))
                }
            }
        });
        Some(ItemBatcher { max_items_per_batch, max_input_bytes_per_batch, batch_input })
    }

    fn result_writer(&mut self, m: &Member, pointer: &str, ql: QueryLanguage) -> Option<ResultWriter> {
        let members = reader::object(&mut self.sink, m, pointer)?;
        self.unknown_fields(members, pointer, &["Resource", "Parameters", "Arguments", "WriterConfig"]);
        let resource = get(members, "Resource").and_then(|r| {
            reader::string(&mut self.sink, r, &child(pointer, "Resource")).map(|s| Spanned::new(s, r.value.span))
        });
        let arguments = self.resource_arguments(members, pointer, ql);
        let writer_config = get(members, "WriterConfig").and_then(|c| {
            let p = child(pointer, "WriterConfig");
            let cm = reader::object(&mut self.sink, c, &p)?;
            self.unknown_fields(cm, &p, &["Transformation", "OutputType"]);
            let mut cfg = WriterConfig::default();
            for (key, values) in
                [("Transformation", &["NONE", "COMPACT", "FLATTEN"][..]), ("OutputType", &["JSON", "JSONL"][..])]
            {
                if let Some(f) = get(cm, key)
                    && let Some(s) = reader::string(&mut self.sink, f, &child(&p, key))
                {
                    if !values.contains(&s.as_str()) {
                        self.sink.schema(
                            format!("The field '{key}' should have one of these values: [{}]", values.join(", ")),
                            &child(&p, key),
                            f.value.span,
                        );
                    }
                    let v = Some(Spanned::new(s, f.value.span));
                    if key == "Transformation" { cfg.transformation = v } else { cfg.output_type = v }
                }
            }
            Some(cfg)
        });
        if members.is_empty() {
            self.sink.schema("ResultWriter must not be empty", pointer, m.value.span);
        } else if resource.is_some() != arguments.is_some() {
            self.sink.schema(
                "ResultWriter needs both 'Resource' and its parameters, or only 'WriterConfig'",
                pointer,
                m.value.span,
            );
        }
        Some(ResultWriter { resource, arguments, writer_config })
    }

    // -----------------------------------------------------------------------------------------
    // Numbers that may be literal, `...Path` or JSONata
    // -----------------------------------------------------------------------------------------

    /// Reads `<key>` (literal or JSONata) or, in JSONPath, `<key>Path` (a Reference Path).
    fn dynamic_int<'a>(
        &mut self,
        field: &dyn Fn(&str) -> Option<&'a Member>,
        pointer: &str,
        ql: QueryLanguage,
        key: &str,
        min: u64,
        max: u64,
    ) -> Option<Dynamic<u64>> {
        if let Some(m) = field(key) {
            let p = child(pointer, key);
            if ql == QueryLanguage::Jsonata && m.value.as_str().is_some() {
                return self.jsonata_expr_field(m, &p);
            }
            return reader::integer(&mut self.sink, m, &p, min, max)
                .map(|v| Dynamic::Literal(Spanned::new(v, m.value.span)));
        }
        let path_key = format!("{key}Path");
        let m = field(&path_key)?;
        if ql == QueryLanguage::Jsonata {
            self.field_language(m, pointer, ql, Lang::JsonPath);
            return None;
        }
        self.path_string(m, &child(pointer, &path_key), REFERENCE).map(Dynamic::Path)
    }

    fn dynamic_percentage<'a>(
        &mut self,
        field: &dyn Fn(&str) -> Option<&'a Member>,
        pointer: &str,
        ql: QueryLanguage,
    ) -> Option<Dynamic<f64>> {
        let key = "ToleratedFailurePercentage";
        if let Some(m) = field(key) {
            let p = child(pointer, key);
            if ql == QueryLanguage::Jsonata && m.value.as_str().is_some() {
                return match self.jsonata_expr_field::<f64>(m, &p)? {
                    Dynamic::Jsonata(e) => Some(Dynamic::Jsonata(e)),
                    _ => None,
                };
            }
            return reader::number(&mut self.sink, m, &p, 0.0, 100.0)
                .map(|v| Dynamic::Literal(Spanned::new(v, m.value.span)));
        }
        let m = field("ToleratedFailurePercentagePath")?;
        self.path_string(m, &child(pointer, "ToleratedFailurePercentagePath"), REFERENCE).map(Dynamic::Path)
    }

    /// A field that must be a whole `{% ... %}` JSONata string.
    fn jsonata_expr_field<T>(&mut self, m: &Member, pointer: &str) -> Option<Dynamic<T>> {
        match self.jsonata_value(&m.value, pointer, &m.key, Scope::Input) {
            JsonataValue::Expr(e) => Some(Dynamic::Jsonata(e)),
            _ => {
                self.sink.schema(
                    format!("The field '{}' should be a number or a JSONata expression '{{% ... %}}'", m.key),
                    pointer,
                    m.value.span,
                );
                None
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Assign
    // -----------------------------------------------------------------------------------------

    fn assign(&mut self, m: &Member, pointer: &str, ql: QueryLanguage, scope: Scope) -> Option<Assign> {
        let members = reader::object(&mut self.sink, m, pointer)?;
        match ql {
            QueryLanguage::JsonPath => {
                let template = self.template(&m.value, pointer)?;
                let Template::Object(fields) = template else { return None };
                let mut entries = Vec::new();
                for (f, member) in fields.into_iter().zip(members) {
                    self.variable_name(&f.name, &child(pointer, &member.key), f.key_span);
                    entries.push(AssignEntry { name: f.name, name_span: f.key_span, value: f.value });
                }
                Some(Assign::JsonPath(entries))
            }
            QueryLanguage::Jsonata => {
                let mut entries = Vec::new();
                for f in members {
                    let p = child(pointer, &f.key);
                    self.variable_name(&f.key, &p, f.key_span);
                    let value = self.jsonata_value(&f.value, &p, &format!("Assign/{}", f.key), scope);
                    entries.push(AssignEntry { name: f.key.clone(), name_span: f.key_span, value });
                }
                Some(Assign::Jsonata(entries))
            }
        }
    }

    /// Variable names: a Unicode identifier of at most 80 characters, not the reserved `states`.
    fn variable_name(&mut self, name: &str, pointer: &str, span: Span) {
        let mut chars = name.chars();
        let valid = chars.next().is_some_and(|c| unicode_ident::is_xid_start(c) || c == '_')
            && chars.all(unicode_ident::is_xid_continue);
        if !valid {
            self.sink.error(
                codes::INVALID_VARIABLE,
                format!("'{name}' is not a valid variable name: it must be an identifier (a letter or '_', then letters, digits or '_')"),
                pointer,
                span,
            );
        } else if name == "states" {
            self.sink.error(
                codes::INVALID_VARIABLE,
                "'states' is a reserved variable name and cannot be assigned",
                pointer,
                span,
            );
        } else if name.chars().count() > MAX_VARIABLE_NAME_CHARS {
            self.sink.error(
                codes::INVALID_VARIABLE,
                format!("Variable name '{name}' is longer than {MAX_VARIABLE_NAME_CHARS} characters"),
                pointer,
                span,
            );
        }
    }

    // -----------------------------------------------------------------------------------------
    // JSONPath values: paths, templates, intrinsic calls
    // -----------------------------------------------------------------------------------------

    /// InputPath, OutputPath, ResultPath: `null` or a path.
    fn nullable_path(&mut self, m: &Member, pointer: &str, rules: PathRules) -> Option<NullablePath> {
        if m.value.is_null() {
            return Some(NullablePath::Null(m.value.span));
        }
        self.path_string(m, pointer, rules).map(NullablePath::Path)
    }

    /// A string field that must be a path obeying `rules`.
    fn path_string(&mut self, m: &Member, pointer: &str, rules: PathRules) -> Option<PathExpr> {
        let Some(text) = m.value.as_str() else {
            let what = if rules.reference { "a Reference Path" } else { "a JSONPath" };
            self.sink.expected(what, m, pointer);
            return None;
        };
        self.path(text, &m.value, pointer, &m.key, rules)
    }

    fn path(&mut self, text: &str, node: &Node, pointer: &str, field: &str, rules: PathRules) -> Option<PathExpr> {
        let span = node.text_span();
        let path = match jsonpath::Path::parse(text) {
            Ok(p) => p,
            Err(_) if intrinsic::looks_like_call(text) => {
                self.sink.error(
                    codes::INVALID_JSONPATH,
                    format!("The field '{field}' must be a JSONPath; intrinsic functions such as '{text}' are only allowed in payload templates (fields ending in '.$')"),
                    pointer,
                    node.span,
                );
                return None;
            }
            Err(e) => {
                let at = if node.text_span() == node.span { node.span } else { span.sub(e.offset, e.offset + 1) };
                self.sink.error(
                    codes::INVALID_JSONPATH,
                    format!("The value for the field '{field}' must be a valid JSONPath: '{text}': {}", e.message),
                    pointer,
                    at,
                );
                return None;
            }
        };
        match &path.root {
            Root::Context if !rules.context => {
                let msg = if field == "ResultPath" {
                    format!("The field 'ResultPath' must not refer to the Context Object ('$$'): '{text}'")
                } else {
                    format!(
                        "Value is not a Reference Path: the field '{field}' cannot use the Context Object ('$$'): '{text}'"
                    )
                };
                self.sink.error(codes::INVALID_JSONPATH, msg, pointer, node.span);
                return None;
            }
            Root::Variable(name) if !rules.variables => {
                self.sink.error(
                    codes::INVALID_JSONPATH,
                    format!("The field '{field}' must not refer to a variable ('${name}'): '{text}'"),
                    pointer,
                    node.span,
                );
                return None;
            }
            _ => {}
        }
        if rules.reference && !path.is_reference_path() {
            self.sink.error(
                codes::INVALID_JSONPATH,
                format!("Value is not a Reference Path: the field '{field}' needs a path to a single node (no wildcards, filters, slices or unions): '{text}'"),
                pointer,
                node.span,
            );
            return None;
        }
        Some(PathExpr { text: text.to_owned(), path, span: node.span })
    }

    fn intrinsic(&mut self, text: &str, node: &Node, pointer: &str) -> Option<IntrinsicExpr> {
        let span = node.text_span();
        let exact = span != node.span;
        let at = |offset: usize| if exact { span.sub(offset, offset + 1) } else { node.span };
        let call = match intrinsic::parse(text) {
            Ok(call) => call,
            Err(e) => {
                self.sink.error(
                    codes::INVALID_INTRINSIC,
                    format!("Invalid intrinsic function call '{text}': {}", e.message),
                    pointer,
                    at(e.offset),
                );
                return None;
            }
        };
        let problems = intrinsic::validate(&call);
        let ok = problems.iter().all(|e| e.spec_only);
        for e in problems {
            if e.spec_only {
                // The spec forbids it but AWS accepts it (e.g. an object in States.Format, rendered
                // Java-style): legal here, but not portable to other engines.
                self.sink.warning(
                    codes::NON_PORTABLE_INTRINSIC,
                    format!("'{text}': {}", e.message),
                    pointer,
                    at(e.offset),
                );
            } else {
                self.sink.error(
                    codes::INVALID_INTRINSIC,
                    format!("Invalid intrinsic function call '{text}': {}", e.message),
                    pointer,
                    at(e.offset),
                );
            }
        }
        ok.then(|| IntrinsicExpr { text: text.to_owned(), call, span: node.span })
    }

    /// `Parameters`, `ResultSelector`, `ItemSelector`, `BatchInput`: normally an object, but any JSON
    /// value is accepted (as statelint and asl-validator do); only objects can hold `.$` fields.
    fn template_field(&mut self, m: &Member, pointer: &str) -> Option<Template> {
        self.template(&m.value, pointer)
    }

    /// A payload template: `.$` keys become paths or intrinsic calls; other values are literal.
    fn template(&mut self, node: &Node, pointer: &str) -> Option<Template> {
        match &node.value {
            Value::Object(members) => {
                let mut fields: Vec<TemplateField> = Vec::new();
                for m in members {
                    let p = child(pointer, &m.key);
                    let (name, dynamic) = match m.key.strip_suffix(".$") {
                        Some(stripped) => (stripped.to_owned(), true),
                        None => (m.key.clone(), false),
                    };
                    if fields.iter().any(|f| f.name == name) && members.iter().filter(|o| o.key == m.key).count() == 1 {
                        self.sink.error(
                            codes::DUPLICATE_FIELD_NAME,
                            format!(
                                "A duplicate field will exist after renaming to strip the \".$\" suffix from: {}",
                                m.key
                            ),
                            &p,
                            m.key_span,
                        );
                    }
                    let value = if dynamic {
                        let Some(text) = m.value.as_str() else {
                            self.sink.schema(
                                format!("The value for the field '{}' must be a string holding a JSONPath or an intrinsic function call", m.key),
                                &p,
                                m.value.span,
                            );
                            continue;
                        };
                        if jsonpath::is_path_like(text) {
                            match self.path(text, &m.value, &p, &m.key, PATH) {
                                Some(e) => Template::Path(e),
                                None => continue,
                            }
                        } else if intrinsic::looks_like_call(text) {
                            match self.intrinsic(text, &m.value, &p) {
                                Some(e) => Template::Intrinsic(e),
                                None => continue,
                            }
                        } else {
                            self.sink.error(
                                codes::INVALID_JSONPATH,
                                format!("The value for the field '{}' must be a valid JSONPath or a valid intrinsic function call, but was '{text}'", m.key),
                                &p,
                                m.value.span,
                            );
                            continue;
                        }
                    } else {
                        match self.template(&m.value, &p) {
                            Some(t) => t,
                            None => continue,
                        }
                    };
                    fields.push(TemplateField { name, key_span: m.key_span, value });
                }
                Some(Template::Object(fields))
            }
            Value::Array(items) => {
                let all_literal = items.iter().all(|i| !contains_dynamic_key(i));
                if all_literal {
                    return Some(Template::Literal(node.to_json()));
                }
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    out.push(self.template(item, &index(pointer, i))?);
                }
                Some(Template::Array(out))
            }
            _ => Some(Template::Literal(node.to_json())),
        }
    }

    // -----------------------------------------------------------------------------------------
    // JSONata values
    // -----------------------------------------------------------------------------------------

    /// A JSONata-mode value: strings `{% ... %}` at any depth are parsed and checked; `field` is
    /// AWS's slash-joined field name (`Output`, `Assign/x`, `Arguments/FunctionName`) for messages.
    fn jsonata_value(&mut self, node: &Node, pointer: &str, field: &str, scope: Scope) -> JsonataValue {
        match &node.value {
            Value::String { text, .. } => match jsonata::strip_delimiters(text) {
                Some((inner, offset)) => match self.jsonata_expr(inner, offset, node, pointer, field, scope) {
                    Some(e) => JsonataValue::Expr(e),
                    None => JsonataValue::Literal(node.to_json()),
                },
                None => {
                    // AWS reads a string as JSONata only when it starts with exactly `{%` and ends with
                    // exactly `%}`; one that has only one of the two is a broken expression, while a
                    // padded `" {% x %} "` is an ordinary literal (AWS-recorded).
                    if text.starts_with("{%") || text.ends_with("%}") {
                        self.sink.error(
                            codes::INVALID_JSONATA_EXPRESSION,
                            format!("The JSONata expression for the field '{field}' must start with '{{%' and end with '%}}' exactly, with nothing around them: '{text}'"),
                            pointer,
                            node.span,
                        );
                    }
                    JsonataValue::Literal(node.to_json())
                }
            },
            Value::Object(members) => JsonataValue::Object(
                members
                    .iter()
                    .map(|m| {
                        (
                            m.key.clone(),
                            m.key_span,
                            self.jsonata_value(&m.value, &child(pointer, &m.key), &format!("{field}/{}", m.key), scope),
                        )
                    })
                    .collect(),
            ),
            Value::Array(items) => JsonataValue::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.jsonata_value(item, &index(pointer, i), field, scope))
                    .collect(),
            ),
            _ => JsonataValue::Literal(node.to_json()),
        }
    }

    fn jsonata_expr(
        &mut self,
        inner: &str,
        offset: usize,
        node: &Node,
        pointer: &str,
        field: &str,
        scope: Scope,
    ) -> Option<JsonataExpr> {
        let text_span = node.text_span();
        let exact = text_span != node.span;
        let at = |rel: usize| if exact { text_span.sub(offset + rel, offset + rel + 1) } else { node.span };
        let expr = match jsonata::parse_with_options(inner, jsonata::ParseOptions::JSONATA_2_0_6) {
            Ok(e) => e,
            Err(e) => {
                self.sink.error(
                    codes::INVALID_JSONATA_EXPRESSION,
                    format!(
                        "The JSONata expression '{}' specified for the field '{field}' is invalid: {}",
                        inner.trim(),
                        e.message
                    ),
                    pointer,
                    at(e.offset),
                );
                return None;
            }
        };
        let mut ok = true;
        for (name, rel) in jsonata::analysis::top_level_references(&expr) {
            ok = false;
            self.sink.error(
                codes::UNSUPPORTED_JSONATA_EXPRESSION,
                format!("Reference to '{name}' at the top level is not supported."),
                pointer,
                at(rel),
            );
        }
        for (name, rel) in jsonata::analysis::function_calls(&expr) {
            if name == "eval" || name == "$eval" {
                ok = false;
                self.sink.error(
                    codes::UNSUPPORTED_JSONATA_EXPRESSION,
                    "The JSONata function '$eval' is not supported by Step Functions; use '$parse' to read JSON text",
                    pointer,
                    at(rel),
                );
            }
        }
        for var in jsonata::analysis::free_variables(&expr) {
            if var.name != "states" {
                continue;
            }
            let Some(first) = var.fields.first() else { continue };
            let allowed = match first.as_str() {
                "input" | "context" => true,
                "result" => scope == Scope::Result,
                "errorOutput" => scope == Scope::ErrorOutput,
                _ => {
                    ok = false;
                    self.sink.error(
                        codes::UNSUPPORTED_JSONATA_EXPRESSION,
                        format!("'$states.{first}' does not exist: $states has input, result, errorOutput and context"),
                        pointer,
                        at(var.offset),
                    );
                    continue;
                }
            };
            if !allowed {
                ok = false;
                let where_ok = if first == "result" {
                    "only in the Output and Assign of a Task, Map or Parallel state"
                } else {
                    "only in the Output and Assign of a Catcher"
                };
                self.sink.error(
                    codes::UNSUPPORTED_JSONATA_EXPRESSION,
                    format!("'$states.{first}' cannot be used in the field '{field}': it is available {where_ok}"),
                    pointer,
                    at(var.offset),
                );
            }
        }
        let _ = ok;
        Some(JsonataExpr {
            text: inner.to_owned(),
            expr,
            span: node.span,
            text_offset: exact.then(|| text_span.start + offset as u32),
        })
    }
}

/// True when an object anywhere inside `node` has a key ending in `.$`.
fn contains_dynamic_key(node: &Node) -> bool {
    match &node.value {
        Value::Object(members) => members.iter().any(|m| m.key.ends_with(".$") || contains_dynamic_key(&m.value)),
        Value::Array(items) => items.iter().any(contains_dynamic_key),
        _ => false,
    }
}

/// The span to blame for a missing field: the state's key is not at hand here, so the whole object
/// (its first member when there is one, to keep the location on the state's first line).
fn members_span(members: &[Member], _pointer: &str) -> Span {
    members.first().map_or(Span::default(), |m| m.key_span)
}

/// Map labels: no whitespace, wildcards, brackets, special or control characters.
fn label_char(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '?' | '*'
                | '<'
                | '>'
                | '{'
                | '}'
                | '['
                | ']'
                | ':'
                | ';'
                | ','
                | '\\'
                | '|'
                | '^'
                | '~'
                | '$'
                | '#'
                | '%'
                | '&'
                | '`'
                | '"'
                | '/'
        ))
}

/// The comparison operator a Choice-rule key names, and whether it is the `...Path` form.
pub(crate) fn comparison_op(key: &str) -> Option<(ComparisonOp, bool)> {
    use ComparisonOp::*;
    let (base, is_path) = match key.strip_suffix("Path") {
        Some(b) if b != "Is" && !b.is_empty() => (b, true),
        _ => (key, false),
    };
    let op = match base {
        "StringEquals" => StringEquals,
        "StringLessThan" => StringLessThan,
        "StringGreaterThan" => StringGreaterThan,
        "StringLessThanEquals" => StringLessThanEquals,
        "StringGreaterThanEquals" => StringGreaterThanEquals,
        "StringMatches" if !is_path => StringMatches,
        "NumericEquals" => NumericEquals,
        "NumericLessThan" => NumericLessThan,
        "NumericGreaterThan" => NumericGreaterThan,
        "NumericLessThanEquals" => NumericLessThanEquals,
        "NumericGreaterThanEquals" => NumericGreaterThanEquals,
        "BooleanEquals" => BooleanEquals,
        "TimestampEquals" => TimestampEquals,
        "TimestampLessThan" => TimestampLessThan,
        "TimestampGreaterThan" => TimestampGreaterThan,
        "TimestampLessThanEquals" => TimestampLessThanEquals,
        "TimestampGreaterThanEquals" => TimestampGreaterThanEquals,
        "IsNull" if !is_path => IsNull,
        "IsPresent" if !is_path => IsPresent,
        "IsNumeric" if !is_path => IsNumeric,
        "IsString" if !is_path => IsString,
        "IsBoolean" if !is_path => IsBoolean,
        "IsTimestamp" if !is_path => IsTimestamp,
        _ => return None,
    };
    Some((op, is_path))
}
