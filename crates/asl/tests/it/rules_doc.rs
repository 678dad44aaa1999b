//! docs/rules.md is generated from the rules' documentation; this test fails when it drifts.
//! `UPDATE_EXPECT=1 cargo test -p stepwise-asl --test it rules_doc` rewrites it.

use std::fmt::Write as _;
use std::path::Path;

fn render() -> String {
    let mut out = String::from(
        "# Validation rules\n\n\
         Generated from `crates/asl/src/validate/rules/` (each rule's file holds its full doc: what, \
         why with the source, example, fix).\n\
         Errors are what AWS refuses at CreateStateMachine; SW8xx are warnings.\n\n\
         | Code | Name | Fix |\n| --- | --- | --- |\n",
    );
    for rule in stepwise_asl::rules() {
        let _ =
            writeln!(out, "| {} | {} | {} |", rule.code, rule.name, rule.fix.replace('|', "\\|"));
    }
    out
}

#[test]
fn docs_rules_md_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let expected = render();
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &expected).expect("writes docs/rules.md");
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is stale: run UPDATE_EXPECT=1 cargo test -p stepwise-asl --test it rules_doc"
    );
}

#[test]
fn codes_are_unique() {
    let rules = stepwise_asl::rules();
    let mut codes: Vec<&str> = rules.iter().map(|r| r.code).collect();
    codes.dedup();
    assert_eq!(codes.len(), rules.len(), "every rule has its own code");
}
