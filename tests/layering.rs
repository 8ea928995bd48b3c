//! The layering the design promises, checked on the source: no module of
//! acctl (or of acctl-client) depends on a module that depends back on it,
//! and the screens never reach into the app. Test code is left out (it may
//! drive the whole console). The client crate cannot import the UI at all:
//! its Cargo.toml has neither ratatui nor crossterm nor acctd.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Files that only tests compile: `tests.rs`, `*_tests.rs`, `tests_*.rs`,
/// `testing.rs` and what is under a `tests/` or `testing/` folder.
fn is_test_file(path: &Path) -> bool {
    path.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        let stem = name.trim_end_matches(".rs");
        stem == "tests"
            || stem == "testing"
            || stem.ends_with("_tests")
            || stem.starts_with("tests_")
            || stem == "fixtures"
    })
}

/// The text before an inline `#[cfg(test)]` module, which test code follows.
fn production_part(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => text,
    }
}

/// The top-level modules `text` names as `crate::NAME`.
fn crate_refs(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        // `acctl_client::` and the like are other crates, not this one.
        let before = text[..at].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name = item.trim().split("::").next().unwrap_or_default();
                out.insert(name.trim().to_string());
            }
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        out.insert(name);
    }
    out
}

/// Module → the modules of the same crate its production code names.
fn module_graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut graph = Graph::new();
    for file in files {
        let relative = file.strip_prefix(src).expect("under src");
        let first = relative.components().next().expect("a component");
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if ["lib", "main"].contains(&module.as_str()) || is_test_file(relative) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable");
        let refs = crate_refs(production_part(&text));
        let edges = graph.entry(module.clone()).or_default();
        edges.extend(refs.into_iter().filter(|r| *r != module));
    }
    let known: BTreeSet<String> = graph.keys().cloned().collect();
    for edges in graph.values_mut() {
        edges.retain(|m| known.contains(m));
    }
    graph
}

/// A cycle through `from`, if there is one: the path back to it.
fn cycle_from(graph: &Graph, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![(from.to_string(), vec![from.to_string()])];
    let mut seen = BTreeSet::new();
    while let Some((node, path)) = stack.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if next == from {
                let mut cycle = path.clone();
                cycle.push(next.clone());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

fn assert_acyclic(src: &Path) -> Graph {
    let graph = module_graph(src);
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|m| cycle_from(&graph, m))
        .map(|c| c.join(" -> "))
        .collect();
    assert!(
        cycles.is_empty(),
        "module cycles in {}: {cycles:#?}",
        src.display()
    );
    graph
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_console_has_no_module_cycles_and_screens_never_import_the_app() {
    let graph = assert_acyclic(&root().join("src"));
    for module in ["screens", "widgets", "action", "config", "theme", "keymap"] {
        let edges = graph.get(module).cloned().unwrap_or_default();
        assert!(!edges.contains("app"), "{module} depends on app: {edges:?}");
    }
    assert!(graph.contains_key("screens") && graph.contains_key("app"));
}

#[test]
fn the_client_crate_has_no_module_cycles() {
    let graph = assert_acyclic(&root().join("crates/client/src"));
    // The token stores and profiles know nothing of HTTP.
    for module in ["tokens", "profiles", "dirs"] {
        let edges = graph.get(module).cloned().unwrap_or_default();
        assert!(edges.is_empty(), "{module} depends on {edges:?}");
    }
}

#[test]
fn the_checker_sees_a_cycle_and_grouped_imports() {
    let refs = crate_refs("use crate::{app::App, screens};\nlet x = acctl_client::api;");
    assert_eq!(
        refs,
        BTreeSet::from(["app".to_string(), "screens".to_string()])
    );
    let graph = Graph::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["a".to_string()])),
    ]);
    assert_eq!(
        cycle_from(&graph, "a"),
        Some(vec!["a".to_string(), "b".to_string(), "a".to_string()])
    );
}
