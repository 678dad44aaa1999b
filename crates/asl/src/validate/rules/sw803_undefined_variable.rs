//! SW803 undefined-variable (warning): a variable is read where no path assigns it.
//!
//! **What**: a `$name` in a JSONPath path, an intrinsic argument or a JSONata expression when no
//! state that can run before this one assigns `name`: no state of the same machine from which
//! this state is reachable, and — for a state inside a Parallel branch or a Map processor — no
//! state that can run before the Parallel or Map (`$states` and JSONata's own functions and
//! local bindings excepted). Assignments inside a branch are not visible outside it.
//!
//! **Why**: reading a variable that was not assigned fails the execution at run time
//! (`States.Runtime`); "variables assigned in a Map or Parallel … are not visible to the outer
//! scope" (AWS guide, Passing data between states with variables). The check is a warning
//! because it is path-insensitive in one direction: a variable assigned on *some* path counts.
//!
//! **Example**: `"Parameters": {"id.$": "$orderId"}` with no `Assign` of `orderId`.
//!
//! **Fix**: assign the variable in an earlier state, or correct its name.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::model::QueryLanguage;
use crate::object::{Members, join};
use crate::validate::paths::{check_intrinsic, check_jsonata, is_intrinsic, path_variable};
use crate::validate::{Context, Role, Rule, RuleInfo, Sink, Variables, jsonata_strings};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW803",
        name: "undefined-variable",
        fix: "Assign the variable in an earlier state (Assign), or correct its name.",
    },
    check,
};

/// Every assigned variable name with the pointer of its `Assign` key.
pub(crate) fn assignments(cx: &Context<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |assign: Option<&Value>, at: &dyn Fn() -> String| {
        if let Some(map) = assign.and_then(Value::as_object) {
            let at = at();
            for key in map.keys() {
                let name = key.strip_suffix(".$").unwrap_or(key);
                out.push((name.to_owned(), join(&at, key)));
            }
        }
    };
    for view in cx.states() {
        add(view.field("Assign"), &|| view.at("Assign"));
        for list in ["Choices", "Catch"] {
            let Some(items) = view.field(list).and_then(Value::as_array) else { continue };
            for (i, item) in items.iter().enumerate() {
                add(item.member("Assign"), &|| format!("{}/{i}/Assign", view.at(list)));
            }
        }
    }
    out
}

/// Every variable read, with the pointer of the string that reads it.
pub(crate) fn reads(cx: &Context<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for view in cx.states() {
        match view.language {
            QueryLanguage::JsonPath => {
                for field in cx.path_fields(view) {
                    let intrinsic =
                        matches!(field.role, Role::PathOrIntrinsic | Role::ReferenceOrIntrinsic)
                            && is_intrinsic(field.text);
                    if intrinsic {
                        for name in check_intrinsic(field.text).unwrap_or_default() {
                            out.push((name, cx.pointer_of(view, field)));
                        }
                    } else if field.key != "ResultPath" {
                        if let Some(name) = path_variable(field.text) {
                            out.push((name.to_owned(), cx.pointer_of(view, field)));
                        }
                    }
                }
            }
            QueryLanguage::Jsonata => {
                for (pointer, text) in jsonata_strings(view) {
                    for name in check_jsonata(text).unwrap_or_default() {
                        out.push((name, pointer.clone()));
                    }
                }
            }
        }
    }
    out
}

/// The machine's variables, computed once per validation and shared with SW802.
pub(crate) fn variables<'c>(cx: &'c Context<'_>) -> &'c Variables {
    cx.variables.get_or_init(|| Variables { assigned: assignments(cx), read: reads(cx) })
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    let variables = variables(cx);
    // Most machines read no variable: then the scopes (a set of every state) are not needed.
    if variables.read.is_empty() {
        return;
    }
    let assigned: HashSet<&str> =
        variables.assigned.iter().map(|(name, _)| name.as_str()).collect();
    let mut scopes = Scopes::new(cx, variables);
    // One reverse search per reading state: quadratic at worst, so very large machines get the
    // path-insensitive check only.
    let path_sensitive = cx.states().len() <= 3_000;
    for (name, pointer) in &variables.read {
        if !assigned.contains(name.as_str()) {
            out.warning(
                "SW803",
                format!("variable ${name} is read but no state assigns it"),
                pointer.clone(),
            );
        } else if let Some(state) = scopes.owner(pointer).filter(|_| path_sensitive) {
            if !scopes.visible(&state).contains(name) {
                out.warning(
                    "SW803",
                    format!("variable ${name} is read here, but no state that can run before this one assigns it"),
                    pointer.clone(),
                );
            }
        }
    }
}

/// Which variables each state can see: those assigned by the states that can run before it.
struct Scopes<'c, 'a> {
    cx: &'c Context<'a>,
    /// State pointer → the names its Assign fields (state, Choice rules, catchers) assign.
    assigns: HashMap<&'c str, Vec<&'c str>>,
    /// State pointers.
    states: HashSet<&'c str>,
    memo: HashMap<String, HashSet<String>>,
    graphs: HashMap<String, std::rc::Rc<MachineGraph>>,
}

impl<'c, 'a> Scopes<'c, 'a> {
    fn new(cx: &'c Context<'a>, variables: &'c Variables) -> Scopes<'c, 'a> {
        let states: HashSet<&'c str> = cx.states().iter().map(|v| &*v.pointer).collect();
        let mut scopes = Scopes {
            cx,
            assigns: HashMap::new(),
            states,
            memo: HashMap::new(),
            graphs: HashMap::new(),
        };
        for (name, pointer) in &variables.assigned {
            if let Some(owner) = scopes.owner_str(pointer) {
                scopes.assigns.entry(owner).or_default().push(name.as_str());
            }
        }
        scopes
    }

    /// The innermost state holding `pointer`.
    fn owner_str(&self, pointer: &'c str) -> Option<&'c str> {
        let mut p = pointer;
        loop {
            if self.states.contains(p) {
                return Some(p);
            }
            p = &p[..p.rfind('/')?];
        }
    }

    fn owner(&self, pointer: &'c str) -> Option<String> {
        self.owner_str(pointer).map(str::to_owned)
    }

    /// The variables visible in the state at `state` (memoised; recursion is bounded by the
    /// nesting of machines).
    fn visible(&mut self, state: &str) -> HashSet<String> {
        if let Some(known) = self.memo.get(state) {
            return known.clone();
        }
        let mut out = HashSet::new();
        let machine_pointer = state.rfind("/States/").map(|i| &state[..i]).unwrap_or("");
        let graph = self.graph(machine_pointer);
        if let Some(start) = graph.index.get(state).copied() {
            // States from which `state` is reachable: reverse breadth-first search.
            let mut queue: Vec<usize> = graph.reverse[start].clone();
            let mut seen = vec![false; graph.pointers.len()];
            while let Some(i) = queue.pop() {
                if std::mem::replace(&mut seen[i], true) {
                    continue;
                }
                if let Some(names) = self.assigns.get(graph.pointers[i].as_str()) {
                    out.extend(names.iter().map(|n| (*n).to_owned()));
                }
                queue.extend(graph.reverse[i].iter().copied());
            }
            // Inside a branch or a processor: what ran before the container.
            if !machine_pointer.is_empty() {
                out.extend(self.visible(container_of(machine_pointer)));
            }
        }
        self.memo.insert(state.to_owned(), out.clone());
        out
    }

    /// The reversed transition graph of one machine (built once per machine).
    fn graph(&mut self, machine_pointer: &str) -> std::rc::Rc<MachineGraph> {
        if let Some(graph) = self.graphs.get(machine_pointer) {
            return graph.clone();
        }
        let mut graph = MachineGraph::default();
        if let Some(machine) = self.cx.machines().iter().find(|m| m.pointer == machine_pointer) {
            let names: HashMap<&str, usize> =
                machine.states.keys().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
            graph.pointers = machine.states.values().map(|s| s.pointer.clone()).collect();
            graph.index = graph.pointers.iter().enumerate().map(|(i, p)| (p.clone(), i)).collect();
            graph.reverse = vec![Vec::new(); graph.pointers.len()];
            for (i, s) in machine.states.values().enumerate() {
                for target in s.targets() {
                    if let Some(&t) = names.get(target) {
                        graph.reverse[t].push(i);
                    }
                }
            }
        }
        let graph = std::rc::Rc::new(graph);
        self.graphs.insert(machine_pointer.to_owned(), graph.clone());
        graph
    }
}

/// One machine's states and reversed transitions, by index.
#[derive(Default)]
struct MachineGraph {
    pointers: Vec<String>,
    index: HashMap<String, usize>,
    reverse: Vec<Vec<usize>>,
}

/// The Parallel or Map state that holds the machine at `pointer` (`…/Branches/0`,
/// `…/ItemProcessor`, `…/Iterator`).
fn container_of(pointer: &str) -> &str {
    let trimmed = match pointer.rsplit_once('/') {
        Some((head, tail)) if tail.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => pointer,
    };
    trimmed.rsplit_once('/').map(|(head, _)| head).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::paths;

    #[test]
    fn reads_without_assignment_are_flagged_in_both_languages() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"v.$":"$orderId"},"Next":"B"},
            "B":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $total + $states.input.n %}","End":true}}}"#;
        assert_eq!(paths(text, "SW803"), vec!["/States/A/Parameters/v.$", "/States/B/Output"]);
    }

    #[test]
    fn a_variable_assigned_only_after_the_read_is_flagged() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"v.$":"$late"},"Next":"B"},
            "B":{"Type":"Pass","Assign":{"late":1},"End":true}}}"#;
        assert_eq!(paths(text, "SW803"), vec!["/States/A/Parameters/v.$"]);
        // In a loop, the later assignment is visible on the next pass: no warning.
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"v.$":"$n"},"Next":"B"},
            "B":{"Type":"Pass","Assign":{"n":1},"Next":"A"}}}"#;
        assert!(paths(text, "SW803").is_empty(), "B runs before A on the next pass");
    }

    #[test]
    fn branches_see_what_ran_before_their_container_but_not_the_other_way() {
        let text = r#"{"StartAt":"Set","States":{
            "Set":{"Type":"Pass","Assign":{"outer":1},"Next":"P"},
            "P":{"Type":"Parallel","Next":"After","Branches":[{"StartAt":"In","States":{
                "In":{"Type":"Pass","Parameters":{"o.$":"$outer"},"Assign":{"inner":2},"End":true}}}]},
            "After":{"Type":"Pass","Parameters":{"i.$":"$inner"},"End":true}}}"#;
        assert_eq!(paths(text, "SW803"), vec!["/States/After/Parameters/i.$"]);
    }

    #[test]
    fn assigned_variables_pass() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"total":1},"Next":"B"},
            "B":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $total %}","End":true}}}"#;
        assert!(paths(text, "SW803").is_empty());
    }
}
