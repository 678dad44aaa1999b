//! The validation rules, one per file. Each file starts with a doc comment: what it checks, why
//! (quoting the documentation or the measured AWS behaviour that fixes it), an example and the
//! fix; and ends with its unit tests.
//!
//! Codes are stable: SW0xx syntax (from the parser), SW1xx structure, SW2xx transitions,
//! SW3xx paths and expressions, SW4xx Choice, SW5xx Retry/Catch, SW6xx per-type fields,
//! SW7xx workflow type, SW8xx warnings.

use super::{Rule, RuleInfo};

mod sw100_required_field;
mod sw101_field_type;
mod sw102_unknown_field;
mod sw103_field_not_allowed;
mod sw104_query_language_field;
mod sw105_unknown_state_type;
mod sw106_state_name_length;
mod sw107_duplicate_state_name;
mod sw108_next_or_end;
mod sw109_query_language;
mod sw110_variable_name;
mod sw200_start_at;
mod sw201_transition_target;
mod sw202_unreachable_state;
mod sw203_no_terminal_state;
mod sw300_path_syntax;
mod sw301_reference_path;
mod sw302_intrinsic_function;
mod sw303_jsonata_syntax;
mod sw400_choice_rule;
mod sw401_choice_rule_next;
mod sw500_error_equals;
mod sw501_retrier_values;
mod sw600_wait_time;
mod sw601_fail_fields;
mod sw602_task_timeouts;
mod sw603_map_fields;
mod sw604_task_resource;
mod sw605_map_reader_writer;
mod sw700_express_integration;
mod sw800_task_timeout;
mod sw801_lambda_retry;
mod sw802_unused_variable;
mod sw803_undefined_variable;
mod sw804_choice_default;
mod sw805_task_token;
mod sw806_unknown_states_error;

/// Every rule, in code order.
pub(crate) const ALL: &[Rule] = &[
    sw100_required_field::RULE,
    sw101_field_type::RULE,
    sw102_unknown_field::RULE,
    sw103_field_not_allowed::RULE,
    sw104_query_language_field::RULE,
    sw105_unknown_state_type::RULE,
    sw106_state_name_length::RULE,
    sw107_duplicate_state_name::RULE,
    sw108_next_or_end::RULE,
    sw109_query_language::RULE,
    sw110_variable_name::RULE,
    sw200_start_at::RULE,
    sw201_transition_target::RULE,
    sw202_unreachable_state::RULE,
    sw203_no_terminal_state::RULE,
    sw300_path_syntax::RULE,
    sw301_reference_path::RULE,
    sw302_intrinsic_function::RULE,
    sw303_jsonata_syntax::RULE,
    sw400_choice_rule::RULE,
    sw401_choice_rule_next::RULE,
    sw500_error_equals::RULE,
    sw501_retrier_values::RULE,
    sw600_wait_time::RULE,
    sw601_fail_fields::RULE,
    sw602_task_timeouts::RULE,
    sw603_map_fields::RULE,
    sw604_task_resource::RULE,
    sw605_map_reader_writer::RULE,
    sw700_express_integration::RULE,
    sw800_task_timeout::RULE,
    sw801_lambda_retry::RULE,
    sw802_unused_variable::RULE,
    sw803_undefined_variable::RULE,
    sw804_choice_default::RULE,
    sw805_task_token::RULE,
    sw806_unknown_states_error::RULE,
];

/// The syntax codes the parser reports.
pub(crate) const SYNTAX: &[RuleInfo] = &[
    RuleInfo {
        code: "SW001",
        name: "invalid-json",
        fix: "Fix the JSON syntax at the marked position (ASL is strict JSON: no comments, no trailing commas).",
    },
    RuleInfo {
        code: "SW002",
        name: "invalid-yaml",
        fix: "Fix the YAML syntax at the marked position.",
    },
    RuleInfo {
        code: "SW003",
        name: "duplicate-key",
        fix: "Remove or rename one of the two members with this key.",
    },
    RuleInfo { code: "SW005", name: "not-utf8", fix: "Save the definition as UTF-8 text." },
    RuleInfo {
        code: "SW004",
        name: "number-out-of-range",
        fix: "Use a number a 64-bit float can hold.",
    },
];
