//! Which fields each state type accepts, and in which query language (INVENTORY §1.4, §1.5).
//!
//! A field outside this table is refused with AWS's `Field '<name>' is not supported`; a field that
//! belongs to the other query language gets AWS's `The QueryLanguage is set to ...` message.

use super::QueryLanguage;

/// In which query language a field may appear.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    Both,
    JsonPath,
    Jsonata,
}

impl Lang {
    pub(crate) fn allows(self, ql: QueryLanguage) -> bool {
        match self {
            Lang::Both => true,
            Lang::JsonPath => ql == QueryLanguage::JsonPath,
            Lang::Jsonata => ql == QueryLanguage::Jsonata,
        }
    }
}

use Lang::{Both, JsonPath, Jsonata};

const COMMON: &[(&str, Lang)] = &[("Type", Both), ("Comment", Both), ("QueryLanguage", Both)];

const TASK: &[(&str, Lang)] = &[
    ("Resource", Both),
    ("Credentials", Both),
    ("TimeoutSeconds", Both),
    ("HeartbeatSeconds", Both),
    ("TimeoutSecondsPath", JsonPath),
    ("HeartbeatSecondsPath", JsonPath),
    ("InputPath", JsonPath),
    ("OutputPath", JsonPath),
    ("Parameters", JsonPath),
    ("ResultSelector", JsonPath),
    ("ResultPath", JsonPath),
    ("Arguments", Jsonata),
    ("Output", Jsonata),
    ("Assign", Both),
    ("Retry", Both),
    ("Catch", Both),
    ("Next", Both),
    ("End", Both),
];

const PASS: &[(&str, Lang)] = &[
    ("InputPath", JsonPath),
    ("OutputPath", JsonPath),
    ("Parameters", JsonPath),
    ("Result", JsonPath),
    ("ResultPath", JsonPath),
    ("Output", Jsonata),
    ("Assign", Both),
    ("Next", Both),
    ("End", Both),
];

const CHOICE: &[(&str, Lang)] = &[
    ("Choices", Both),
    ("Default", Both),
    ("InputPath", JsonPath),
    ("OutputPath", JsonPath),
    ("Output", Jsonata),
    ("Assign", Both),
];

const WAIT: &[(&str, Lang)] = &[
    ("Seconds", Both),
    ("Timestamp", Both),
    ("SecondsPath", JsonPath),
    ("TimestampPath", JsonPath),
    ("InputPath", JsonPath),
    ("OutputPath", JsonPath),
    ("Output", Jsonata),
    ("Assign", Both),
    ("Next", Both),
    ("End", Both),
];

const SUCCEED: &[(&str, Lang)] = &[("InputPath", JsonPath), ("OutputPath", JsonPath), ("Output", Jsonata)];

const FAIL: &[(&str, Lang)] = &[("Error", Both), ("Cause", Both), ("ErrorPath", JsonPath), ("CausePath", JsonPath)];

const PARALLEL: &[(&str, Lang)] = &[
    ("Branches", Both),
    ("InputPath", JsonPath),
    ("OutputPath", JsonPath),
    ("Parameters", JsonPath),
    ("ResultSelector", JsonPath),
    ("ResultPath", JsonPath),
    ("Arguments", Jsonata),
    ("Output", Jsonata),
    ("Assign", Both),
    ("Retry", Both),
    ("Catch", Both),
    ("Next", Both),
    ("End", Both),
];

const MAP: &[(&str, Lang)] = &[
    ("ItemProcessor", Both),
    ("Iterator", Both),
    ("ItemReader", Both),
    ("ItemBatcher", Both),
    ("ResultWriter", Both),
    ("ItemSelector", Both),
    ("MaxConcurrency", Both),
    ("ToleratedFailurePercentage", Both),
    ("ToleratedFailureCount", Both),
    ("Label", Both),
    ("ItemsPath", JsonPath),
    ("MaxConcurrencyPath", JsonPath),
    ("ToleratedFailurePercentagePath", JsonPath),
    ("ToleratedFailureCountPath", JsonPath),
    ("InputPath", JsonPath),
    ("OutputPath", JsonPath),
    ("Parameters", JsonPath),
    ("ResultSelector", JsonPath),
    ("ResultPath", JsonPath),
    ("Items", Jsonata),
    ("Output", Jsonata),
    ("Assign", Both),
    ("Retry", Both),
    ("Catch", Both),
    ("Next", Both),
    ("End", Both),
];

/// The state types, in AWS's order (used in AWS's message for a bad `Type`).
pub(crate) const STATE_TYPES: &[&str] = &["Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map"];

/// The fields a state type accepts besides `Type`, `Comment` and `QueryLanguage`.
fn specific(state_type: &str) -> &'static [(&'static str, Lang)] {
    match state_type {
        "Task" => TASK,
        "Pass" => PASS,
        "Choice" => CHOICE,
        "Wait" => WAIT,
        "Succeed" => SUCCEED,
        "Fail" => FAIL,
        "Parallel" => PARALLEL,
        "Map" => MAP,
        _ => &[],
    }
}

/// Where a field stands for a state type: `None` if the type never accepts it.
pub(crate) fn lookup(state_type: &str, field: &str) -> Option<Lang> {
    COMMON.iter().chain(specific(state_type)).find(|(name, _)| *name == field).map(|&(_, lang)| lang)
}

/// Fields of a Retrier and a Catcher.
pub(crate) const RETRIER: &[(&str, Lang)] = &[
    ("ErrorEquals", Both),
    ("IntervalSeconds", Both),
    ("MaxAttempts", Both),
    ("BackoffRate", Both),
    ("MaxDelaySeconds", Both),
    ("JitterStrategy", Both),
    ("Comment", Both),
];

pub(crate) const CATCHER: &[(&str, Lang)] = &[
    ("ErrorEquals", Both),
    ("Next", Both),
    ("ResultPath", JsonPath),
    ("Output", Jsonata),
    ("Assign", Both),
    ("Comment", Both),
];

/// Fields of a top-level Choice rule in each language (nested JSONPath rules also take the
/// comparison operators, listed in `build`).
pub(crate) const CHOICE_RULE: &[(&str, Lang)] = &[
    ("Next", Both),
    ("Comment", Both),
    ("Assign", Both),
    ("Condition", Jsonata),
    ("Output", Jsonata),
    ("Variable", JsonPath),
    ("And", JsonPath),
    ("Or", JsonPath),
    ("Not", JsonPath),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_matches_the_spec_tables() {
        // Spot checks of INVENTORY §1.4.
        assert_eq!(lookup("Fail", "InputPath"), None);
        assert_eq!(lookup("Pass", "TimeoutSeconds"), None);
        assert_eq!(lookup("Wait", "Retry"), None);
        assert_eq!(lookup("Succeed", "Assign"), None);
        assert_eq!(lookup("Map", "Arguments"), None);
        assert_eq!(lookup("Task", "Arguments"), Some(Jsonata));
        assert_eq!(lookup("Choice", "OutputPath"), Some(JsonPath));
        assert_eq!(lookup("Pass", "Result"), Some(JsonPath));
        assert_eq!(lookup("Map", "ItemsPath"), Some(JsonPath));
        assert_eq!(lookup("Map", "Items"), Some(Jsonata));
        assert_eq!(lookup("Task", "Comment"), Some(Both));
    }
}
