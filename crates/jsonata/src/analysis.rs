//! What an expression reads: the variables it uses without binding them itself, for the
//! validator's "variable read before any state assigns it" and "unused variable" rules.

use crate::parser::{Node, Stage};

/// Names of the variables `node` reads and does not bind itself (`:=`, lambda parameters,
/// `@$v` and `#$i` bindings), without `$` and in first-use order. `$` and `$$` are not variables;
/// built-in function names are left for the caller to filter.
pub fn free_variables(node: &Node) -> Vec<String> {
    let mut reads = Vec::new();
    let mut bound = Vec::new();
    walk(node, &mut reads, &mut bound);
    reads.retain(|r| !bound.contains(r));
    reads
}

fn walk(node: &Node, reads: &mut Vec<String>, bound: &mut Vec<String>) {
    let go = |n: &Node, reads: &mut Vec<String>, bound: &mut Vec<String>| walk(n, reads, bound);
    match node {
        Node::Var(name)
            if !name.is_empty() && &**name != "$" && !reads.iter().any(|r| r == &**name) =>
        {
            reads.push(name.to_string());
        }
        Node::Path(p) => {
            for step in &p.steps {
                go(&step.node, reads, bound);
                for stage in &step.stages {
                    match stage {
                        Stage::Filter(f) => go(f, reads, bound),
                        Stage::Index(v) => bound.push(v.to_string()),
                    }
                }
                for v in step.focus.iter().chain(step.index.iter()) {
                    bound.push(v.to_string());
                }
            }
            for (k, v) in p.group.iter().flatten() {
                go(k, reads, bound);
                go(v, reads, bound);
            }
        }
        Node::Binary(_, a, b) | Node::Elvis(a, b) | Node::Coalesce(a, b) | Node::Apply(a, b) => {
            go(a, reads, bound);
            go(b, reads, bound);
        }
        Node::Neg(a) => go(a, reads, bound),
        Node::Bind(name, v) => {
            bound.push(name.to_string());
            go(v, reads, bound);
        }
        Node::Array(items, _) | Node::Block(items) => {
            for i in items {
                go(i, reads, bound);
            }
        }
        Node::Object(pairs) | Node::Grouped(_, pairs) => {
            if let Node::Grouped(inner, _) = node {
                go(inner, reads, bound);
            }
            for (k, v) in pairs {
                go(k, reads, bound);
                go(v, reads, bound);
            }
        }
        Node::Condition(c, t, e) => {
            go(c, reads, bound);
            go(t, reads, bound);
            if let Some(e) = e {
                go(e, reads, bound);
            }
        }
        Node::Call { func, args, .. } => {
            go(func, reads, bound);
            for a in args {
                go(a, reads, bound);
            }
        }
        Node::Lambda(l) => {
            bound.extend(l.params.iter().map(|p| p.to_string()));
            go(&l.body, reads, bound);
        }
        Node::Transform(p, u, d) => {
            go(p, reads, bound);
            go(u, reads, bound);
            if let Some(d) = d {
                go(d, reads, bound);
            }
        }
        Node::Sort(terms) => {
            for t in terms {
                go(&t.expr, reads, bound);
            }
        }
        Node::Filtered(inner, stages) => {
            go(inner, reads, bound);
            for s in stages {
                if let Stage::Filter(f) = s {
                    go(f, reads, bound);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::free_variables;
    use crate::parser::parse;

    fn free(text: &str) -> Vec<String> {
        free_variables(&parse(text).expect("parses"))
    }

    #[test]
    fn reads_bindings_and_parameters() {
        assert_eq!(free("$states.input.a + $x"), vec!["states", "x"]);
        assert_eq!(free("($y := 1; $y + $sum([1]))"), vec!["sum"]);
        assert_eq!(free("$map([1], function($v) { $v * $k })"), vec!["map", "k"]);
        assert_eq!(free("items@$i.($i.a)"), Vec::<String>::new());
        assert_eq!(free("$ + $$.a"), Vec::<String>::new());
    }
}
