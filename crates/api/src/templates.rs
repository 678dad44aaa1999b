//! The template gallery: the workflows of assets/templates, embedded in the binary so "New from
//! template" works offline and without the source tree. Each one has a sample input and a mock
//! configuration beside it (crates/cli/tests/templates.rs runs every test case of each).

use serde_json::Value;

use crate::wire::TemplateInfo;

/// One embedded template.
struct Template {
    id: &'static str,
    meta: &'static str,
    text: &'static str,
    input: &'static str,
    mocks: &'static str,
}

macro_rules! templates {
    ($($id:literal),* $(,)?) => {
        /// The ids of the embedded templates, in gallery order.
        pub const TEMPLATE_IDS: &[&str] = &[$($id),*];
        const TEMPLATES: &[Template] = &[$(Template {
            id: $id,
            meta: include_str!(concat!("../../../assets/templates/", $id, "/template.json")),
            text: include_str!(concat!("../../../assets/templates/", $id, "/", $id, ".asl.json")),
            input: include_str!(concat!("../../../assets/templates/", $id, "/", $id, ".input.json")),
            mocks: include_str!(concat!("../../../assets/templates/", $id, "/", $id, ".mocks.json")),
        }),*];
    };
}

templates!(
    "hello-world",
    "order-fulfillment",
    "circuit-breaker",
    "saga",
    "human-approval",
    "map-batch",
    "parallel-fanout",
    "retry-backoff",
    "jsonata-orders",
);

/// The gallery: id, name and description of every template.
pub fn list() -> Vec<TemplateInfo> {
    TEMPLATES
        .iter()
        .map(|template| {
            let meta: Value = serde_json::from_str(template.meta).unwrap_or(Value::Null);
            let text = |key: &str| meta[key].as_str().unwrap_or(template.id).to_owned();
            TemplateInfo {
                id: template.id.to_owned(),
                name: text("name"),
                description: text("description"),
            }
        })
        .collect()
}

fn find(id: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.id == id)
}

/// The ASL text of a template.
pub fn text(id: &str) -> Option<&'static str> {
    find(id).map(|t| t.text)
}

/// A template's sample input.
pub fn input(id: &str) -> Option<&'static str> {
    find(id).map(|t| t.input)
}

/// A template's mock configuration (AWS Step Functions Local format).
pub fn mocks(id: &str) -> Option<&'static str> {
    find(id).map(|t| t.mocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_folder_is_embedded_and_has_a_name() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/templates");
        let mut folders: Vec<String> = std::fs::read_dir(root)
            .expect("assets/templates")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        folders.sort();
        let mut embedded: Vec<String> = TEMPLATE_IDS.iter().map(|s| s.to_string()).collect();
        embedded.sort();
        assert_eq!(embedded, folders, "add new template folders to templates! in templates.rs");
        for info in list() {
            assert_ne!(info.name, info.id, "{} has a readable name", info.id);
            assert!(!info.description.is_empty());
        }
    }
}
