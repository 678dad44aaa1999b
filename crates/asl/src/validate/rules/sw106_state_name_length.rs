//! SW106 state-name-too-long: a state name longer than 80 characters.
//!
//! **What**: a key of `States` with more than 80 characters.
//!
//! **Why**: AWS refuses it: "INVALID_STATE_NAME: Invalid State name: State '…' exceeds the
//! 80-character limit allowed by the service" (reported in asl-validator#69 and
//! cfn-lint#4079, both quoting CreateStateMachine).
//!
//! **Example**: a state named with 81 characters.
//!
//! **Fix**: shorten the name (and the references to it).

use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW106",
        name: "state-name-too-long",
        fix: "Shorten the state name to 80 characters or fewer.",
    },
    check,
};

/// The longest state name AWS accepts, in characters.
const MAX: usize = 80;

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        let length = view.name.chars().count();
        if length > MAX {
            out.error(
                "SW106",
                format!("state name has {length} characters; AWS allows at most {MAX}"),
                view.pointer.clone(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::paths;

    #[test]
    fn eighty_characters_pass_and_eighty_one_do_not() {
        for (n, expected) in [(80, 0), (81, 1)] {
            let name = "x".repeat(n);
            let text =
                format!(r#"{{"StartAt":"{name}","States":{{"{name}":{{"Type":"Succeed"}}}}}}"#);
            assert_eq!(paths(&text, "SW106").len(), expected, "{n} characters");
        }
    }
}
