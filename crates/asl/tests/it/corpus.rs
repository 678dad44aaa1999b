//! Realistic, valid machines (tests/corpus) must give no error diagnostic, in JSON and YAML.

use stepwise_asl::{Format, Options, Severity, check};

use crate::{files, tests_dir};

#[test]
fn valid_machines_have_no_errors() {
    let machines = files(&tests_dir().join("corpus"), &[".asl.json", ".asl.yaml", ".asl.yml"]);
    assert!(machines.len() >= 5, "expected the corpus in tests/corpus");
    for file in machines {
        let text = std::fs::read_to_string(&file).expect("readable");
        let name = file.display().to_string();
        let parsed = check(&text, Format::from_path(&name), &Options::default());
        let errors: Vec<_> =
            parsed.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        assert!(parsed.definition.is_some(), "{name}: a model");
    }
}

#[test]
fn definition_substitutions_are_accepted_in_resources_and_arns_without_any_diagnostic() {
    let file = tests_dir().join("corpus/sam_substitutions.asl.json");
    let text = std::fs::read_to_string(&file).expect("readable");
    let parsed = check(&text, Format::Json, &Options::default());
    assert!(
        parsed.diagnostics.is_empty(),
        "${{Name}} placeholders are filled in at deploy time: {:#?}",
        parsed.diagnostics
    );
}
