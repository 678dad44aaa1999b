//! SW500 error-equals: an empty `ErrorEquals`, or `States.ALL` not alone and last.
//!
//! **What**: a retrier or catcher whose `ErrorEquals` is empty; `States.ALL` together with other
//! error names; a retrier or catcher with `States.ALL` that is not the last of its list.
//!
//! **Why**: "ErrorEquals … MUST be a non-empty array of Strings"; "The reserved name States.ALL
//! … MUST appear alone in its ErrorEquals array and MUST appear in the last Retrier/Catcher"
//! (States Language specification, Errors). AWS refuses these definitions.
//!
//! **Example**: `"Catch": [{"ErrorEquals": ["States.ALL"], ...}, {"ErrorEquals": ["X"], ...}]`.
//!
//! **Fix**: move the `States.ALL` entry last and give it no other names.

use serde_json::Value;

use crate::object::{Members, join, join_index};
use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW500",
        name: "error-equals",
        fix: "Keep ErrorEquals non-empty; put States.ALL alone, in the last retrier or catcher.",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        for list in ["Retry", "Catch"] {
            let Some(items) = view.field(list).and_then(Value::as_array) else { continue };
            for (i, item) in items.iter().enumerate() {
                let Some(errors) = item.member("ErrorEquals").and_then(Value::as_array) else {
                    continue;
                };
                let at = || join(&join_index(&view.at(list), i), "ErrorEquals");
                if errors.is_empty() {
                    out.error("SW500", "ErrorEquals must name at least one error", at());
                }
                let all = errors.iter().position(|e| e.as_str() == Some("States.ALL"));
                if let Some(j) = all {
                    if errors.len() > 1 {
                        out.error(
                            "SW500",
                            "States.ALL must appear alone in ErrorEquals",
                            join_index(&at(), j),
                        );
                    }
                    if i + 1 != items.len() {
                        out.error(
                            "SW500",
                            format!("the {list} entry with States.ALL must be the last one"),
                            join_index(&at(), j),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    fn task(extra: &str) -> String {
        one_state(&format!(
            r#"{{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","TimeoutSeconds":5,"Next":"Done",{extra}}}"#
        ))
    }

    #[test]
    fn states_all_must_be_alone_and_last() {
        let text = task(r#""Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}]"#);
        assert_eq!(paths(&text, "SW500"), vec!["/States/A/Retry/0/ErrorEquals/0"]);
        let text = task(r#""Catch":[{"ErrorEquals":["X","States.ALL"],"Next":"Done"}]"#);
        assert_eq!(paths(&text, "SW500"), vec!["/States/A/Catch/0/ErrorEquals/1"]);
        let text = task(r#""Retry":[{"ErrorEquals":[]}]"#);
        assert_eq!(paths(&text, "SW500"), vec!["/States/A/Retry/0/ErrorEquals"]);
    }

    #[test]
    fn states_all_last_passes() {
        let text = task(r#""Retry":[{"ErrorEquals":["X"]},{"ErrorEquals":["States.ALL"]}]"#);
        assert!(paths(&text, "SW500").is_empty());
    }
}
