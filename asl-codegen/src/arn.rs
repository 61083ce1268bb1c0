//! Shape checks for Task resources that claim to be ARNs.
//!
//! A local engine runs any resource name (`foo:bar`, `module:x`, `ChargeCard`), so only strings that
//! start with `arn:` are checked, and only for what would make AWS refuse them: the six ARN parts,
//! a known partition, and Lambda function names and qualifiers.

/// Checks an `arn:...` string; the error says what is wrong.
pub fn check(arn: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() < 6 {
        return Err("an ARN has the form arn:partition:service:region:account:resource".into());
    }
    let (partition, service, account, resource) = (parts[1], parts[2], parts[4], parts[5]);
    if !matches!(
        partition,
        "aws" | "aws-cn" | "aws-us-gov" | "aws-iso" | "aws-iso-b" | "aws-iso-e" | "aws-iso-f" | "aws-eusc"
    ) {
        return Err(format!("unknown partition '{partition}'"));
    }
    if service.is_empty() {
        return Err("the service is empty".into());
    }
    if resource.is_empty() {
        return Err("the resource part is empty".into());
    }
    if !account.is_empty() && !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("the account '{account}' is not a number"));
    }
    if service == "lambda" {
        return check_lambda(resource);
    }
    Ok(())
}

/// `function:NAME[:QUALIFIER]`: names and aliases are letters, digits, `-` and `_`; versions are
/// numbers or `$LATEST`.
fn check_lambda(resource: &str) -> Result<(), String> {
    let mut parts = resource.split(':');
    if parts.next() != Some("function") {
        return Err("a Lambda ARN's resource must be function:NAME".into());
    }
    let name_ok = |s: &str| {
        !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    match parts.next() {
        Some(name) if name_ok(name) => {}
        Some(name) => return Err(format!("'{name}' is not a valid Lambda function name")),
        None => return Err("the Lambda function name is missing".into()),
    }
    if let Some(qualifier) = parts.next()
        && !(qualifier == "$LATEST" || name_ok(qualifier))
    {
        return Err(format!("'{qualifier}' is not a valid Lambda version or alias"));
    }
    if parts.next().is_some() {
        return Err("too many ':' parts after the function name".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn accepts_the_common_forms() {
        for arn in [
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "arn:aws:states:::aws-sdk:s3:listObjectsV2",
            "arn:aws:lambda:us-east-1:123456789012:function:Charge",
            "arn:aws:lambda:us-east-1:123456789012:function:Charge:$LATEST",
            "arn:aws:lambda:us-east-1:123456789012:function:Charge:prod",
            "arn:aws:states:us-east-1:123456789012:activity:approve",
            "arn:aws-us-gov:sns:us-gov-west-1:123456789012:topic",
        ] {
            assert_eq!(check(arn), Ok(()), "{arn}");
        }
    }

    #[test]
    fn refuses_malformed_arns() {
        for arn in [
            "arn:aws:lambda",
            "arn:nope:lambda:us-east-1:1:function:f",
            "arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME:",
            "arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME:$*#$7485",
            "arn:aws:lambda:us-east-1:abc:function:f",
        ] {
            assert!(check(arn).is_err(), "{arn}");
        }
    }
}
