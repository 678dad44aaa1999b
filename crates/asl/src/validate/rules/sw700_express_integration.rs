//! Placeholder.
use crate::validate::{Context, Rule, RuleInfo, Sink};
pub(crate) const RULE: Rule = Rule { info: RuleInfo { code: "SW700", name: "x", fix: "x" }, check };
fn check(_cx: &Context<'_>, _out: &mut Sink) {}
