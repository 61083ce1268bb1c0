//! What generated code calls for JSONata states: evaluate a field's expression with `$states`
//! and the workflow variables bound, and turn every failure into `States.QueryEvaluationError`
//! with AWS's cause wording (INVENTORY §2.5).

use serde_json::Value;

use crate::error::{Error, names};
use crate::execution::Visit;
use crate::jsonata::Expr;
use crate::jsonata::eval::{Bindings, FieldError, evaluate, to_json};

/// Evaluates a JSONata field (`text` is the expression as written, `field` AWS's field name such
/// as `Output` or `Arguments/FunctionName`).
pub fn jsonata(expr: &Expr, text: &str, field: &str, bindings: &Bindings<'_>, visit: &Visit) -> Result<Value, Error> {
    evaluate(expr, bindings)
        .map_err(FieldError::from)
        .and_then(to_json)
        .map_err(|e| visit.error(names::QUERY_EVALUATION_ERROR, e.cause(text, field)))
}

/// Binds the workflow variables an expression reads (the generator lists them); an unassigned one
/// stays unbound, so the expression sees it as undefined, as on AWS.
pub fn bind_variables<'a>(
    bindings: Bindings<'a>,
    vars: &'a crate::variables::Variables<'_>,
    names: &[&str],
) -> Bindings<'a> {
    names.iter().fold(bindings, |b, name| match vars.get(name) {
        Some(v) => b.with(name, v),
        None => b,
    })
}

/// AWS's name for a JSON value's type in "unexpected result type" causes.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn unexpected(text: &str, field: &str, expected: &str, v: &Value, visit: &Visit) -> Error {
    visit.error(
        names::QUERY_EVALUATION_ERROR,
        format!(
            "The JSONata expression '{text}' specified for the field '{field}' returned an unexpected result type. Expected '{expected}', but was '{}' for value: {}",
            type_name(v),
            crate::support::compact(v)
        ),
    )
}

/// A Choice rule's `Condition`: must be a boolean.
pub fn jsonata_condition(expr: &Expr, text: &str, bindings: &Bindings<'_>, visit: &Visit) -> Result<bool, Error> {
    let v = jsonata(expr, text, "Condition", bindings, visit)?;
    v.as_bool().ok_or_else(|| unexpected(text, "Condition", "boolean", &v, visit))
}

/// A count or duration (`Seconds`, `TimeoutSeconds`, `MaxConcurrency`, ...): a non-negative integer.
pub fn jsonata_integer(
    expr: &Expr,
    text: &str,
    field: &str,
    bindings: &Bindings<'_>,
    visit: &Visit,
) -> Result<u64, Error> {
    let v = jsonata(expr, text, field, bindings, visit)?;
    match v.as_f64() {
        Some(n) if n >= 0.0 && n.fract() == 0.0 => Ok(n as u64),
        Some(_) => Err(visit.error(
            names::QUERY_EVALUATION_ERROR,
            format!(
                "The JSONata expression '{text}' specified for the field '{field}' returned an invalid value: {}",
                crate::support::compact(&v)
            ),
        )),
        None => Err(unexpected(text, field, "integer", &v, visit)),
    }
}

/// `ToleratedFailurePercentage`: a number from 0 to 100.
pub fn jsonata_percentage(expr: &Expr, text: &str, bindings: &Bindings<'_>, visit: &Visit) -> Result<f64, Error> {
    let field = "ToleratedFailurePercentage";
    let v = jsonata(expr, text, field, bindings, visit)?;
    match v.as_f64() {
        Some(p) if (0.0..=100.0).contains(&p) => Ok(p),
        Some(_) => Err(visit.runtime_error("ToleratedFailurePercentage must be between 0 and 100.")),
        None => Err(unexpected(text, field, "number", &v, visit)),
    }
}

/// A string field (`Error`, `Cause`, `Timestamp`).
pub fn jsonata_string(
    expr: &Expr,
    text: &str,
    field: &str,
    bindings: &Bindings<'_>,
    visit: &Visit,
) -> Result<String, Error> {
    let v = jsonata(expr, text, field, bindings, visit)?;
    match v {
        Value::String(s) => Ok(s),
        other => Err(unexpected(text, field, "string", &other, visit)),
    }
}

/// A Map's `Items`: an array (AWS-recorded: an object is "an unexpected result type").
pub fn jsonata_items(expr: &Expr, text: &str, bindings: &Bindings<'_>, visit: &Visit) -> Result<Value, Error> {
    let v = jsonata(expr, text, "Items", bindings, visit)?;
    match v {
        Value::Array(_) => Ok(v),
        other => Err(unexpected(text, "Items", "array", &other, visit)),
    }
}

/// A JSONata `Timestamp` field: parsed as AWS's timestamp profile.
pub fn jsonata_timestamp(expr: &Expr, text: &str, bindings: &Bindings<'_>, visit: &Visit) -> Result<(i64, u32), Error> {
    let s = jsonata_string(expr, text, "Timestamp", bindings, visit)?;
    parse_timestamp_field(&s, visit)
}

/// A literal or computed `Timestamp`: AWS's error when it is not an ISO-8601 offset date-time.
pub fn parse_timestamp_field(s: &str, visit: &Visit) -> Result<(i64, u32), Error> {
    crate::timestamp::parse(s).ok_or_else(|| {
        visit.error(
            names::QUERY_EVALUATION_ERROR,
            format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {s}"),
        )
    })
}
