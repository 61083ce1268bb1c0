//! Rust names for ASL names: state names become `UpperCamel` enum variants and `snake_case`
//! functions; Task resources become trait methods named after what they call.

use std::collections::HashSet;

/// Splits a name into lowercase words at non-alphanumerics and case changes
/// (`VerifyPayment-v2` → `verify`, `payment`, `v2`).
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = c.is_uppercase()
            && !current.is_empty()
            && (prev.is_some_and(|p| p.is_lowercase() || p.is_numeric())
                || (prev.is_some_and(char::is_uppercase) && next.is_some_and(char::is_lowercase)));
        if boundary {
            out.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `snake_case`, made a valid identifier (ASCII only, not a keyword, not starting with a digit).
pub fn snake(name: &str) -> String {
    let joined = words(name).iter().map(|w| ascii(w)).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("_");
    sanitize(joined, "state")
}

/// `UpperCamelCase`, made a valid identifier.
pub fn camel(name: &str) -> String {
    let joined: String = words(name)
        .iter()
        .map(|w| ascii(w))
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect();
    sanitize(joined, "State")
}

/// Keeps ASCII letters and digits; other characters become their code point in hex, so distinct
/// non-ASCII names stay distinct (`Ж` → `u416`).
fn ascii(word: &str) -> String {
    word.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_string() } else { format!("u{:x}", c as u32) }).collect()
}

fn sanitize(mut s: String, fallback: &str) -> String {
    if s.is_empty() {
        s = fallback.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = if fallback == "State" { format!("S{s}") } else { format!("s_{s}") };
    }
    if is_keyword(&s) {
        s.push('_');
    }
    s
}

fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "Self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
            | "union"
            | "run"
            | "new"
    )
}

/// The trait method name for a Task resource: the function or action it names.
///
/// `arn:aws:lambda:…:function:VerifyPayment` → `verify_payment`;
/// `arn:aws:states:::lambda:invoke` → `lambda_invoke`;
/// `arn:aws:states:::sqs:sendMessage.waitForTaskToken` → `sqs_send_message_wait_for_task_token`;
/// `arn:aws:states:::aws-sdk:s3:listObjectsV2` → `s3_list_objects_v2`; `module:goodbye` → `module_goodbye`.
pub fn resource_method(resource: &str) -> String {
    let parts: Vec<&str> = resource.split(':').collect();
    let base = if resource.starts_with("arn:") && parts.len() >= 6 {
        let service = parts[2];
        let rest = &parts[5..];
        match (service, rest) {
            ("lambda", ["function", name, ..]) => name.to_string(),
            ("states", [action_service, action @ ..]) if parts[3].is_empty() => {
                let mut pieces: Vec<&str> = vec![action_service];
                pieces.extend(action.iter().copied());
                pieces.retain(|p| *p != "aws-sdk");
                pieces.join("_")
            }
            ("states", [kind, name]) => format!("{kind}_{name}"),
            (service, rest) => format!("{service}_{}", rest.join("_")),
        }
    } else {
        resource.to_owned()
    };
    snake(&base)
}

/// Makes names unique by appending `_2`, `_3`, ...
#[derive(Default)]
pub struct Unique {
    taken: HashSet<String>,
}

impl Unique {
    pub fn new(reserved: &[&str]) -> Unique {
        Unique { taken: reserved.iter().map(|s| s.to_string()).collect() }
    }

    pub fn take(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        (2..).map(|i| format!("{name}_{i}")).find(|n| self.taken.insert(n.clone())).unwrap_or(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_names() {
        assert_eq!(snake("VerifyPayment"), "verify_payment");
        assert_eq!(camel("Verify payment!"), "VerifyPayment");
        assert_eq!(snake("HTTPRequest v2"), "http_request_v2");
        assert_eq!(camel("HTTPRequest"), "HttpRequest");
        assert_eq!(snake("2nd try"), "s_2nd_try");
        assert_eq!(camel("2nd try"), "S2ndTry");
        assert_eq!(snake("Loop"), "loop_");
        assert_eq!(snake("???"), "state");
        assert_ne!(snake("Ж"), snake("中"));
    }

    #[test]
    fn resource_methods() {
        assert_eq!(
            resource_method("arn:aws:lambda:us-east-1:123:function:VerifyPaymentFunction"),
            "verify_payment_function"
        );
        assert_eq!(resource_method("arn:aws:lambda:us-east-1:123:function:Charge:prod"), "charge");
        assert_eq!(resource_method("arn:aws:states:::lambda:invoke"), "lambda_invoke");
        assert_eq!(
            resource_method("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
            "sqs_send_message_wait_for_task_token"
        );
        assert_eq!(resource_method("arn:aws:states:::aws-sdk:s3:listObjectsV2"), "s3_list_objects_v2");
        assert_eq!(resource_method("arn:aws:states:us-east-1:123:activity:approve"), "activity_approve");
        assert_eq!(resource_method("module:goodbye"), "module_goodbye");
        assert_eq!(resource_method("ChargeCard"), "charge_card");
    }

    #[test]
    fn unique_names() {
        let mut u = Unique::new(&["run"]);
        assert_eq!(u.take("a".into()), "a");
        assert_eq!(u.take("a".into()), "a_2");
        assert_eq!(u.take("run".into()), "run_2");
    }
}
