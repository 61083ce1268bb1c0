//! A typed model of the whole Amazon States Language, built from the span-keeping [`tree`](crate::tree).
//!
//! Every field of every state type in both query languages is here (INVENTORY §1), with paths parsed
//! into [`jsonpath::Path`](crate::jsonpath::Path) values, intrinsic calls into
//! [`intrinsic::Call`](crate::intrinsic::Call) trees and JSONata into [`jsonata::Expr`](crate::jsonata::Expr)
//! trees. Each value keeps its [`Span`] so checks and code generation can point back at the file.
//!
//! The model is built by [`build`](build::build), which also reports everything that is wrong with
//! individual fields (unknown fields, wrong types, bad paths). Rules that need the whole machine
//! (transitions, reachability, names, variable scopes) live in [`crate::check`].

pub mod build;
mod fields;
mod reader;

use crate::span::Span;

/// A value with the span it was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }
}

/// The two query languages (INVENTORY §1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum QueryLanguage {
    #[default]
    JsonPath,
    Jsonata,
}

impl QueryLanguage {
    pub fn as_str(self) -> &'static str {
        match self {
            QueryLanguage::JsonPath => "JSONPath",
            QueryLanguage::Jsonata => "JSONata",
        }
    }
}

/// A whole state machine: the top-level `States` block plus machine-wide settings.
#[derive(Clone, Debug)]
pub struct StateMachine {
    pub comment: Option<String>,
    pub version: Option<Spanned<String>>,
    /// Execution-level timeout (`TimeoutSeconds` at the top).
    pub timeout_seconds: Option<Spanned<u64>>,
    /// The machine's language; inner states of Map and Parallel default to it too.
    pub query_language: QueryLanguage,
    pub body: StatesBlock,
}

/// A `StartAt` + `States` block: the machine itself, a Parallel branch or a Map item processor.
/// Transitions never cross a block boundary.
#[derive(Clone, Debug)]
pub struct StatesBlock {
    pub comment: Option<String>,
    pub start_at: Spanned<String>,
    pub states: Vec<State>,
    /// JSON pointer of the object holding `StartAt` and `States` (`""` for the machine).
    pub pointer: String,
    /// Span of that object.
    pub span: Span,
    /// Span of the `"States"` key (where a block-level problem is reported).
    pub states_key_span: Span,
}

impl StatesBlock {
    pub fn state(&self, name: &str) -> Option<&State> {
        self.states.iter().find(|s| s.name == name)
    }
}

/// One state: what all state types share, plus its [`StateKind`].
#[derive(Clone, Debug)]
pub struct State {
    pub name: String,
    pub name_span: Span,
    /// JSON pointer of the state object, e.g. `/States/Pay`.
    pub pointer: String,
    pub span: Span,
    pub comment: Option<String>,
    /// The effective language of this state (its own `QueryLanguage` or the machine's).
    pub query_language: QueryLanguage,
    pub kind: StateKind,
    /// `Next` or `End` (always [`Transition::None`] for Choice, Succeed and Fail).
    pub transition: Transition,
    /// Input and output processing (InputPath/OutputPath, or JSONata `Output`).
    pub io: Io,
    pub assign: Option<Assign>,
}

impl State {
    pub fn type_name(&self) -> &'static str {
        self.kind.type_name()
    }

    /// Retriers of a Task, Parallel or Map state (empty for other types).
    pub fn retry(&self) -> &[Retrier] {
        match &self.kind {
            StateKind::Task(t) => &t.handling.retry,
            StateKind::Parallel(p) => &p.handling.retry,
            StateKind::Map(m) => &m.handling.retry,
            _ => &[],
        }
    }

    /// Catchers of a Task, Parallel or Map state (empty for other types).
    pub fn catch(&self) -> &[Catcher] {
        match &self.kind {
            StateKind::Task(t) => &t.handling.catch,
            StateKind::Parallel(p) => &p.handling.catch,
            StateKind::Map(m) => &m.handling.catch,
            _ => &[],
        }
    }

    /// Every state this state can transition to, with the span of the reference.
    pub fn targets(&self) -> Vec<&Spanned<String>> {
        let mut out = Vec::new();
        if let Transition::Next(next) = &self.transition {
            out.push(next);
        }
        if let StateKind::Choice(choice) = &self.kind {
            out.extend(choice.choices.iter().map(|rule| &rule.next));
            out.extend(choice.default.iter());
        }
        out.extend(self.catch().iter().map(|c| &c.next));
        out
    }

    /// True for states that end their block: `End: true`, Succeed and Fail.
    pub fn is_terminal(&self) -> bool {
        matches!(self.transition, Transition::End(_)) || matches!(self.kind, StateKind::Succeed | StateKind::Fail(_))
    }
}

/// How a state leaves.
#[derive(Clone, Debug)]
pub enum Transition {
    Next(Spanned<String>),
    End(Span),
    /// Choice, Succeed, Fail (and states whose Next/End was missing or wrong, already reported).
    None,
}

/// The state types and their specific fields.
#[derive(Clone, Debug)]
pub enum StateKind {
    Task(Box<Task>),
    Pass(Pass),
    Choice(Choice),
    Wait(Wait),
    Succeed,
    Fail(Fail),
    Parallel(Box<Parallel>),
    Map(Box<Map>),
}

impl StateKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            StateKind::Task(_) => "Task",
            StateKind::Pass(_) => "Pass",
            StateKind::Choice(_) => "Choice",
            StateKind::Wait(_) => "Wait",
            StateKind::Succeed => "Succeed",
            StateKind::Fail(_) => "Fail",
            StateKind::Parallel(_) => "Parallel",
            StateKind::Map(_) => "Map",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Values that come in a JSONPath form and a JSONata form.
// ---------------------------------------------------------------------------------------------

/// A parsed JSONPath (Path or Reference Path) with its text.
#[derive(Clone, Debug, PartialEq)]
pub struct PathExpr {
    pub text: String,
    pub path: crate::jsonpath::Path,
    pub span: Span,
}

/// A parsed intrinsic function call with its text.
#[derive(Clone, Debug, PartialEq)]
pub struct IntrinsicExpr {
    pub text: String,
    pub call: crate::intrinsic::Call,
    pub span: Span,
}

/// A parsed JSONata expression (the text between `{%` and `%}`).
#[derive(Clone, Debug, PartialEq)]
pub struct JsonataExpr {
    pub text: String,
    pub expr: crate::jsonata::Expr,
    /// Span of the whole `"{% ... %}"` string in the file.
    pub span: Span,
    /// Byte offset of `text` in the source, when the string had no JSON escapes (for precise locations).
    pub text_offset: Option<u32>,
}

/// A JSONPath payload template (`Parameters`, `ResultSelector`, `ItemSelector`, JSONPath `Assign`,
/// `Credentials`, ...): fields ending in `.$` hold a path or an intrinsic call, the rest are literal.
#[derive(Clone, Debug, PartialEq)]
pub enum Template {
    Literal(serde_json::Value),
    Object(Vec<TemplateField>),
    Array(Vec<Template>),
    Path(PathExpr),
    Intrinsic(IntrinsicExpr),
}

/// One field of a template object; `name` has any `.$` suffix stripped.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateField {
    pub name: String,
    pub key_span: Span,
    pub value: Template,
}

/// A JSONata-mode value: any JSON, where strings of the form `{% ... %}` (at any depth) are
/// expressions.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonataValue {
    Literal(serde_json::Value),
    Object(Vec<(String, Span, JsonataValue)>),
    Array(Vec<JsonataValue>),
    Expr(JsonataExpr),
}

/// A JSONPath field that may also be `null` (InputPath, OutputPath, ResultPath have distinct
/// meanings for `null` and absent).
#[derive(Clone, Debug, PartialEq)]
pub enum NullablePath {
    Null(Span),
    Path(PathExpr),
}

/// A count or duration that is a literal, a JSONPath reference (`...Path` field) or JSONata.
#[derive(Clone, Debug, PartialEq)]
pub enum Dynamic<T> {
    Literal(Spanned<T>),
    Path(PathExpr),
    Jsonata(JsonataExpr),
}

/// A string that is a literal or computed (Fail `Error`/`Cause`, Credentials `RoleArn`).
#[derive(Clone, Debug, PartialEq)]
pub enum DynamicString {
    Literal(Spanned<String>),
    Path(PathExpr),
    Intrinsic(IntrinsicExpr),
    Jsonata(JsonataExpr),
}

/// Input/output processing of a state.
#[derive(Clone, Debug, Default)]
pub struct Io {
    // JSONPath
    pub input_path: Option<NullablePath>,
    pub output_path: Option<NullablePath>,
    pub result_path: Option<NullablePath>,
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    // JSONata
    pub arguments: Option<JsonataValue>,
    pub output: Option<JsonataValue>,
}

/// `Assign`: variable name to value, in the state's language.
#[derive(Clone, Debug)]
pub enum Assign {
    JsonPath(Vec<AssignEntry<Template>>),
    Jsonata(Vec<AssignEntry<JsonataValue>>),
}

#[derive(Clone, Debug)]
pub struct AssignEntry<V> {
    /// Variable name (with any `.$` suffix stripped).
    pub name: String,
    pub name_span: Span,
    pub value: V,
}

impl Assign {
    /// The names assigned, with their spans.
    pub fn names(&self) -> Vec<(&str, Span)> {
        match self {
            Assign::JsonPath(e) => e.iter().map(|e| (e.name.as_str(), e.name_span)).collect(),
            Assign::Jsonata(e) => e.iter().map(|e| (e.name.as_str(), e.name_span)).collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Error handling
// ---------------------------------------------------------------------------------------------

/// `Retry` and `Catch` of a Task, Parallel or Map state.
#[derive(Clone, Debug, Default)]
pub struct ErrorHandling {
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
}

#[derive(Clone, Debug)]
pub struct Retrier {
    pub error_equals: Vec<Spanned<String>>,
    pub interval_seconds: Option<Spanned<u64>>,
    pub max_attempts: Option<Spanned<u64>>,
    pub backoff_rate: Option<Spanned<f64>>,
    pub max_delay_seconds: Option<Spanned<u64>>,
    pub jitter: Jitter,
    pub span: Span,
    pub pointer: String,
}

impl Retrier {
    pub fn interval_seconds(&self) -> u64 {
        self.interval_seconds.as_ref().map_or(1, |v| v.value)
    }
    pub fn max_attempts(&self) -> u64 {
        self.max_attempts.as_ref().map_or(3, |v| v.value)
    }
    pub fn backoff_rate(&self) -> f64 {
        self.backoff_rate.as_ref().map_or(2.0, |v| v.value)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Jitter {
    #[default]
    None,
    Full,
}

#[derive(Clone, Debug)]
pub struct Catcher {
    pub error_equals: Vec<Spanned<String>>,
    pub next: Spanned<String>,
    /// JSONPath: where the Error Output goes in the raw input (default `$`).
    pub result_path: Option<NullablePath>,
    /// JSONata: the output (default the Error Output).
    pub output: Option<JsonataValue>,
    pub assign: Option<Assign>,
    pub span: Span,
    pub pointer: String,
}

// ---------------------------------------------------------------------------------------------
// State types
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct Task {
    pub resource: Spanned<String>,
    pub credentials: Option<Credentials>,
    pub timeout_seconds: Option<Dynamic<u64>>,
    pub heartbeat_seconds: Option<Dynamic<u64>>,
    pub handling: ErrorHandling,
}

/// Task `Credentials`: the role to assume.
#[derive(Clone, Debug)]
pub enum Credentials {
    /// JSONPath: a payload template (`RoleArn` or `RoleArn.$`).
    JsonPath(Template),
    /// JSONata: `RoleArn` literal or expression.
    Jsonata(JsonataValue),
}

#[derive(Clone, Debug)]
pub struct Pass {
    /// JSONPath `Result`: a literal JSON value.
    pub result: Option<Spanned<serde_json::Value>>,
}

#[derive(Clone, Debug)]
pub struct Choice {
    pub choices: Vec<ChoiceRule>,
    pub default: Option<Spanned<String>>,
}

/// A top-level Choice rule: a condition, where to go, and what to output/assign when it matches.
#[derive(Clone, Debug)]
pub struct ChoiceRule {
    pub condition: Condition,
    pub next: Spanned<String>,
    pub output: Option<JsonataValue>,
    pub assign: Option<Assign>,
    pub span: Span,
    pub pointer: String,
}

/// The test of a Choice rule.
#[derive(Clone, Debug)]
pub enum Condition {
    /// JSONata `Condition`: a boolean literal or an expression.
    Jsonata(JsonataCondition),
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
    /// A data-test: `Variable` and one comparison operator.
    Compare {
        variable: PathExpr,
        op: Spanned<ComparisonOp>,
        operand: Operand,
    },
}

#[derive(Clone, Debug)]
pub enum JsonataCondition {
    Literal(Spanned<bool>),
    Expr(JsonataExpr),
}

/// The right-hand side of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    String(String),
    Number(f64),
    Bool(bool),
    /// A `...Path` operator's path.
    Path(PathExpr),
}

/// The comparison operators of JSONPath Choice rules (INVENTORY §3.3). `...Path` variants are the
/// same operator with [`Operand::Path`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ComparisonOp {
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

#[derive(Clone, Debug)]
pub struct Wait {
    pub duration: WaitDuration,
}

#[derive(Clone, Debug)]
pub enum WaitDuration {
    Seconds(Dynamic<u64>),
    /// A literal timestamp (kept as written), a `TimestampPath`, or JSONata.
    Timestamp(DynamicString),
    /// Missing or conflicting, already reported.
    Invalid,
}

#[derive(Clone, Debug)]
pub struct Fail {
    pub error: Option<DynamicString>,
    pub cause: Option<DynamicString>,
}

#[derive(Clone, Debug)]
pub struct Parallel {
    pub branches: Vec<StatesBlock>,
    pub handling: ErrorHandling,
}

#[derive(Clone, Debug)]
pub struct Map {
    /// `ItemProcessor` (or the deprecated `Iterator`).
    pub processor: Option<StatesBlock>,
    pub processor_config: ProcessorConfig,
    /// JSONPath `ItemsPath`.
    pub items_path: Option<PathExpr>,
    /// JSONata `Items`.
    pub items: Option<JsonataValue>,
    /// `ItemSelector`, or the deprecated JSONPath `Parameters`.
    pub item_selector: Option<ItemSelector>,
    pub item_reader: Option<ItemReader>,
    pub item_batcher: Option<ItemBatcher>,
    pub result_writer: Option<ResultWriter>,
    pub max_concurrency: Option<Dynamic<u64>>,
    pub tolerated_failure_count: Option<Dynamic<u64>>,
    pub tolerated_failure_percentage: Option<Dynamic<f64>>,
    pub label: Option<Spanned<String>>,
    pub handling: ErrorHandling,
}

#[derive(Clone, Debug)]
pub enum ItemSelector {
    JsonPath(Template),
    Jsonata(JsonataValue),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MapMode {
    #[default]
    Inline,
    Distributed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExecutionType {
    Standard,
    Express,
}

#[derive(Clone, Debug, Default)]
pub struct ProcessorConfig {
    pub mode: MapMode,
    pub execution_type: Option<ExecutionType>,
}

/// A resource's arguments: a JSONPath template (`Parameters`) or JSONata (`Arguments`).
#[derive(Clone, Debug)]
pub enum ResourceArguments {
    JsonPath(Template),
    Jsonata(JsonataValue),
}

/// Distributed Map `ItemReader`.
#[derive(Clone, Debug)]
pub struct ItemReader {
    pub resource: Spanned<String>,
    pub arguments: Option<ResourceArguments>,
    pub reader_config: Option<ReaderConfig>,
}

#[derive(Clone, Debug, Default)]
pub struct ReaderConfig {
    pub input_type: Option<Spanned<String>>,
    pub transformation: Option<Spanned<String>>,
    pub manifest_type: Option<Spanned<String>>,
    pub csv_header_location: Option<Spanned<String>>,
    pub csv_headers: Option<Vec<String>>,
    pub csv_delimiter: Option<Spanned<String>>,
    pub max_items: Option<Dynamic<u64>>,
    pub items_pointer: Option<Spanned<String>>,
}

/// Map `ItemBatcher`.
#[derive(Clone, Debug)]
pub struct ItemBatcher {
    pub max_items_per_batch: Option<Dynamic<u64>>,
    pub max_input_bytes_per_batch: Option<Dynamic<u64>>,
    pub batch_input: Option<ResourceArguments>,
}

/// Distributed Map `ResultWriter`.
#[derive(Clone, Debug)]
pub struct ResultWriter {
    pub resource: Option<Spanned<String>>,
    pub arguments: Option<ResourceArguments>,
    pub writer_config: Option<WriterConfig>,
}

#[derive(Clone, Debug, Default)]
pub struct WriterConfig {
    pub transformation: Option<Spanned<String>>,
    pub output_type: Option<Spanned<String>>,
}
