//! SW303 jsonata-syntax: a `{% … %}` string whose expression is malformed.
//!
//! **What**: in a JSONata state, a string that starts with `{%` but does not end with `%}`, an
//! empty expression, or an expression the JSONata parser refuses (the same parser that runs
//! it: unclosed strings, comments and brackets, misplaced operators, bad escapes, regular
//! expressions, signatures). The message gives JSONata's error code and the character where
//! parsing stopped.
//!
//! **Why**: "JSONata expressions use the syntax `"{% <JSONata expression> %}"`" (AWS guide,
//! Transforming data with JSONata); AWS parses every expression at CreateStateMachine and
//! refuses those that do not parse.
//!
//! **Example**: `"Output": "{% $states.input.items[0 %}"`.
//!
//! **Fix**: close what is open; end the string with `%}`.

use crate::validate::paths::check_jsonata;
use crate::validate::{Context, Rule, RuleInfo, Sink, jsonata_strings};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW303",
        name: "jsonata-syntax",
        fix: "Fix the expression at the given character; JSONata strings are \"{% expression %}\".",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        for (pointer, text) in jsonata_strings(view) {
            if let Err(problem) = check_jsonata(text) {
                out.error_at(
                    "SW303",
                    format!("JSONata: {} (at character {})", problem.message, problem.offset + 1),
                    pointer,
                    problem.offset,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn broken_expressions_are_located() {
        let text = one_state(
            r#"{"Type":"Pass","QueryLanguage":"JSONata","Output":{"a":"{% $states.input[0 %}","b":"{% 1 "},"Next":"Done"}"#,
        );
        assert_eq!(paths(&text, "SW303"), vec!["/States/A/Output/a", "/States/A/Output/b"]);
    }

    #[test]
    fn the_range_is_the_broken_character() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $states.input ] %}","End":true}}}"#;
        let d = crate::parse(text)
            .diagnostics
            .into_iter()
            .find(|d| d.code == "SW303")
            .expect("reported");
        let column = text.find("] %}").expect("there") as u32;
        assert_eq!((d.range.start.column, d.range.end.column), (column, column + 1));
    }

    #[test]
    fn well_formed_expressions_pass() {
        let text = one_state(
            r#"{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $states.input.items[0] %}","Next":"Done"}"#,
        );
        assert!(paths(&text, "SW303").is_empty());
    }
}
