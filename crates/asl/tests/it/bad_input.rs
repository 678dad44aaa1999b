//! Bad input gives a located diagnostic, never a panic, a stack overflow or a hang.

use stepwise_asl::{Format, Options, check, check_bytes, parse};

fn codes(text: &str) -> Vec<String> {
    parse(text).diagnostics.into_iter().map(|d| d.code).collect()
}

#[test]
fn ten_thousand_levels_of_nesting_are_refused_in_json_and_yaml() {
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    assert_eq!(codes(&deep), vec!["SW001"]);
    let deep_object = "{\"a\":".repeat(10_000) + "1" + &"}".repeat(10_000);
    assert_eq!(codes(&deep_object), vec!["SW001"]);
    let yaml = "a:\n".to_owned()
        + &(1..10_000).map(|i| format!("{}a:\n", " ".repeat(i))).collect::<String>();
    let parsed = check(&yaml, Format::Yaml, &Options::default());
    assert_eq!(parsed.diagnostics[0].code, "SW002", "{:?}", parsed.diagnostics[0]);
    let flow = "[".repeat(10_000) + &"]".repeat(10_000);
    let parsed = check(&flow, Format::Yaml, &Options::default());
    assert_eq!(parsed.diagnostics[0].code, "SW002");
}

#[test]
fn binary_garbage_is_a_diagnostic() {
    let garbage: Vec<u8> =
        (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let (_, parsed) = check_bytes(&garbage, Format::Json, &Options::default());
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].code, "SW005");
    let ascii_garbage = "\u{1}\u{2}{{]]::,,\"\\";
    assert!(!codes(ascii_garbage).is_empty());
    let _ = check(ascii_garbage, Format::Yaml, &Options::default());
}

#[test]
fn huge_numbers_are_reported_not_lost() {
    let text = r#"{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":1e400,"End":true}}}"#;
    let parsed = parse(text);
    let d = parsed.diagnostics.iter().find(|d| d.code == "SW004").expect("reported");
    assert_eq!(d.path, "/States/A/Seconds");
    let big = format!(
        r#"{{"StartAt":"A","States":{{"A":{{"Type":"Wait","Seconds":{},"End":true}}}}}}"#,
        "9".repeat(400)
    );
    assert!(codes(&big).contains(&"SW004".to_owned()));
}

#[test]
fn duplicate_keys_are_located_errors() {
    let text = "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"},\n\"A\":{\"Type\":\"Succeed\"}}}";
    let parsed = parse(text);
    let d = parsed.diagnostics.iter().find(|d| d.code == "SW003").expect("reported");
    assert_eq!(d.path, "/States/A");
    assert_eq!((d.range.start.line, d.range.start.column), (1, 0));
}

#[test]
fn a_fifty_megabyte_file_parses() {
    // One Pass state with a 50 MB Result string, and many states: no quadratic behaviour.
    let filler = "x".repeat(50 * 1024 * 1024);
    let text = format!(
        r#"{{"StartAt":"A","States":{{"A":{{"Type":"Pass","Result":"{filler}","End":true}}}}}}"#
    );
    let parsed = parse(&text);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let mut states = String::new();
    for i in 0..20_000 {
        states += &format!(r#""S{i}":{{"Type":"Pass","Next":"S{}"}},"#, i + 1);
    }
    let text = format!(r#"{{"StartAt":"S0","States":{{{states}"S20000":{{"Type":"Succeed"}}}}}}"#);
    let parsed = parse(&text);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics.first());
}

#[test]
fn truncated_and_empty_texts_are_located() {
    for text in ["", "   ", "{", "{\"StartAt\":", "null", "[]", "\"x\"", "42"] {
        let parsed = parse(text);
        assert!(!parsed.diagnostics.is_empty(), "{text:?}");
    }
}

mod never_panics {
    //! A cheap stand-in for a fuzzer: parse + validate random bytes and random mutations of the
    //! valid corpus, as JSON and as YAML. A panic fails the test; so would a hang (the harness).

    use proptest::prelude::*;
    use stepwise_asl::{Format, Options, WorkflowType, check_bytes};

    fn corpus() -> Vec<Vec<u8>> {
        crate::files(&crate::tests_dir().join("corpus"), &[".asl.json", ".asl.yaml"])
            .into_iter()
            .filter_map(|f| std::fs::read(f).ok())
            .collect()
    }

    fn run(bytes: &[u8]) {
        for format in [Format::Json, Format::Yaml] {
            for workflow_type in [WorkflowType::Standard, WorkflowType::Express] {
                let (text, parsed) = check_bytes(bytes, format, &Options { workflow_type });
                let _ = stepwise_asl::render(&text, "fuzz", &parsed.diagnostics);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

        #[test]
        fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            run(&bytes);
        }

        #[test]
        fn mutated_corpus(
            file in any::<prop::sample::Index>(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..8),
        ) {
            let files = corpus();
            let mut bytes = files[file.index(files.len())].clone();
            for (at, byte, kind) in edits {
                if bytes.is_empty() {
                    break;
                }
                let i = at.index(bytes.len());
                match kind {
                    0 => bytes[i] = byte,
                    1 => { bytes.remove(i); }
                    2 => bytes.insert(i, b"{}[]\":,$.%"[byte as usize % 10]),
                    _ => bytes.truncate(i),
                }
            }
            run(&bytes);
        }
    }
}

#[test]
fn many_huge_numbers_and_dangling_references_stay_fast() {
    // 20,000 out-of-range numbers: one diagnostic each, located, in linear time.
    let numbers = vec!["1e999"; 20_000].join(",");
    let text = format!(
        r#"{{"StartAt":"A","States":{{"A":{{"Type":"Pass","Result":[{numbers}],"End":true}}}}}}"#
    );
    let started = std::time::Instant::now();
    let parsed = parse(&text);
    assert_eq!(parsed.diagnostics.iter().filter(|d| d.code == "SW004").count(), 20_000);
    assert_eq!(parsed.diagnostics[0].path, "/States/A/Result/0");
    // 5,000 states that all point at a missing one: "did you mean" must not go quadratic.
    let mut states = String::new();
    for i in 0..5_000 {
        states += &format!(r#""State number {i}":{{"Type":"Pass","Next":"Nowhere {i}"}},"#);
    }
    let text =
        format!(r#"{{"StartAt":"State number 0","States":{{{states}"Z":{{"Type":"Succeed"}}}}}}"#);
    let parsed = parse(&text);
    assert!(parsed.diagnostics.iter().filter(|d| d.code == "SW201").count() == 5_000);
    assert!(started.elapsed().as_secs() < 60, "took {:?}", started.elapsed());
}
