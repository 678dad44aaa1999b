//! Parse + validate arbitrary bytes as JSON and as YAML, for both workflow types: never a panic,
//! a stack overflow or a hang; every diagnostic range lies inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stepwise_asl::{Format, Options, WorkflowType, check_bytes};

fuzz_target!(|data: &[u8]| {
    for format in [Format::Json, Format::Yaml] {
        for workflow_type in [WorkflowType::Standard, WorkflowType::Express] {
            let (text, parsed) = check_bytes(data, format, &Options { workflow_type });
            let lines = text.lines().count() as u32 + 1;
            for d in &parsed.diagnostics {
                assert!(d.range.start.line <= lines && d.range.end.line <= lines, "{d:?}");
                assert!(!d.code.is_empty());
            }
            // The source map answers for every offset without panicking.
            let _ = parsed.source_map.pointer_at(text.len() / 2);
        }
    }
});
