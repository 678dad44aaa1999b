//! Definition substitutions: the `${Name}` placeholders that SAM and CloudFormation
//! (`DefinitionSubstitutions`) and the CDK fill in before a definition reaches AWS. Locally they
//! are opaque strings: the validator accepts them where an ARN is expected, the interpreter
//! passes them through (mocks are keyed by state name), and the canvas shows them as
//! placeholders.

use serde_json::Value;

/// The placeholder names in a string, in order: `"arn:${AWS::Partition}:states:::${X}"` gives
/// `AWS::Partition` and `X`. `${!Literal}` (CloudFormation's escape for a literal `${`) and an
/// unclosed or empty `${}` are not placeholders.
pub fn placeholders_in(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.is_empty()
            && !name.starts_with('!')
            && !name.chars().any(|c| c.is_whitespace() || c == '{' || c == '"')
        {
            out.push(name);
        }
        rest = &after[end + 1..];
    }
    out
}

/// The placeholders a state's own fields hold (not those of the states nested in a Parallel
/// or Map), each once, in document order.
pub fn state_placeholders(state: &Value) -> Vec<String> {
    fn walk(value: &Value, top: bool, out: &mut Vec<String>) {
        match value {
            Value::String(text) => {
                for name in placeholders_in(text) {
                    if !out.iter().any(|n| n == name) {
                        out.push(name.to_owned());
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, false, out)),
            Value::Object(members) => {
                for (key, member) in members {
                    let nested = matches!(key.as_str(), "Branches" | "ItemProcessor" | "Iterator");
                    if !(top && nested) {
                        walk(member, false, out);
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(state, true, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_in_whole_and_partial_strings_but_not_escapes() {
        assert_eq!(placeholders_in("${ProcessFunctionArn}"), vec!["ProcessFunctionArn"]);
        assert_eq!(
            placeholders_in("arn:${AWS::Partition}:lambda:${AWS::Region}:1:function:${Fn.Arn}"),
            vec!["AWS::Partition", "AWS::Region", "Fn.Arn"]
        );
        assert!(placeholders_in("${!Literal} ${} ${open").is_empty());
        assert!(placeholders_in("$.path and States.Format('{}', $.x)").is_empty());
    }

    #[test]
    fn a_states_placeholders_leave_out_its_nested_states() {
        let state = serde_json::json!({
            "Type": "Map",
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                "Parameters": {"Bucket": "${Bucket}", "Key": "${Key}"}},
            "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "${Inner}", "End": true}}},
            "ResultWriter": {"Parameters": {"Bucket": "${Bucket}"}},
            "End": true
        });
        assert_eq!(state_placeholders(&state), vec!["Bucket", "Key"]);
    }
}
