//! Turns the generated Home Manager knowledge (`data/hm-options.tsv`,
//! `data/hm-options-older.tsv`, `data/hm-services.tsv`) into static tables
//! (`OUT_DIR/knowledge.rs`, included by `src/knowledge.rs`): the options, a trie of their
//! paths with each node's children sorted by name, the same for earlier releases' options
//! where they differ, and the units modules create, sorted by option. A run then reads Home Manager's 6,000 options without parsing
//! or allocating anything.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Default)]
struct Node {
    children: BTreeMap<String, usize>,
    option: Option<usize>,
}

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let read = |path: &str| {
        println!("cargo::rerun-if-changed={path}");
        std::fs::read_to_string(path).expect("knowledge data readable")
    };
    let mut code = String::new();

    // `path<TAB>type<TAB>free<TAB>default<TAB>file<TAB>type description`
    let mut nodes = vec![Node::default()];
    let mut options = String::new();
    let mut count = 0;
    for line in read("data/hm-options.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let [path, ty, free, ..] = cols[..] else {
            continue;
        };
        let col = |i: usize| cols.get(i).copied().unwrap_or_default();
        let below = match free {
            "1" => "Free",
            "2" => "Root",
            _ => "Declared",
        };
        let node = insert(&mut nodes, path);
        nodes[node].option = Some(count);
        count += 1;
        let default = match col(3) {
            "" => "None".to_string(),
            d => format!("Some({d:?})"),
        };
        writeln!(
            options,
            "    OptionInfo {{ path: {path:?}, ty_code: {ty:?}, type_description: {:?}, default: {default}, file: {:?}, below: Below::{below} }},",
            col(5),
            col(4),
        )
        .expect("write to a String");
    }
    writeln!(
        code,
        "static OPTIONS: [OptionInfo; {count}] = [\n{options}];"
    )
    .expect("write");
    write_nodes(&mut code, "NODES", &nodes);

    // Earlier releases: `path<TAB>type<TAB>free<TAB>releases`, a row per path and type.
    let mut older: BTreeMap<String, (Vec<String>, bool)> = BTreeMap::new();
    for line in read("data/hm-options-older.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let [path, ty, free, releases] = cols[..] else {
            continue;
        };
        let entry = older.entry(path.to_string()).or_default();
        entry.0.push(format!(
            "OlderType {{ ty_code: {ty:?}, releases: {releases:?} }}"
        ));
        entry.1 |= free != "0";
    }
    let mut older_nodes = vec![Node::default()];
    writeln!(code, "static OLDER: [OlderOption; {}] = [", older.len()).expect("write");
    for (i, (path, (types, free))) in older.iter().enumerate() {
        let node = insert(&mut older_nodes, path);
        older_nodes[node].option = Some(i);
        writeln!(
            code,
            "    OlderOption {{ path: {path:?}, types: &[{}], free: {free} }},",
            types.join(", ")
        )
        .expect("write");
    }
    code.push_str("];\n");
    write_nodes(&mut code, "OLDER_NODES", &older_nodes);

    // `option<TAB>kind<TAB>unit<TAB>keys`
    let mut units: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in read("data/hm-services.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let [option, kind, name, keys] = cols[..] else {
            continue;
        };
        let keys: Vec<&str> = keys.split(',').filter(|k| !k.is_empty()).collect();
        units.entry(option.to_string()).or_default().push(format!(
            "CreatedUnit {{ kind: {kind:?}, name: {name:?}, keys: &{keys:?} }}"
        ));
    }
    writeln!(
        code,
        "static UNITS: [(&str, &[CreatedUnit]); {}] = [",
        units.len()
    )
    .expect("write");
    for (option, created) in &units {
        writeln!(code, "    ({option:?}, &[{}]),", created.join(", ")).expect("write");
    }
    code.push_str("];\n");

    std::fs::write(out.join("knowledge.rs"), code).expect("OUT_DIR writable");
}

/// The node of `path` in the trie `nodes`, added with its parents where missing.
fn insert(nodes: &mut Vec<Node>, path: &str) -> usize {
    let mut node = 0;
    for part in path.split('.') {
        node = match nodes[node].children.get(part) {
            Some(&child) => child,
            None => {
                nodes.push(Node::default());
                let child = nodes.len() - 1;
                nodes[node].children.insert(part.to_string(), child);
                child
            }
        };
    }
    node
}

/// `static NAME: [Node; N]`, each node's children sorted by name.
fn write_nodes(code: &mut String, name: &str, nodes: &[Node]) {
    writeln!(code, "static {name}: [Node; {}] = [", nodes.len()).expect("write");
    for node in nodes {
        let children: Vec<String> = node
            .children
            .iter()
            .map(|(name, child)| format!("({name:?}, {child})"))
            .collect();
        writeln!(
            code,
            "    Node {{ children: &[{}], option: {:?} }},",
            children.join(", "),
            node.option
        )
        .expect("write");
    }
    code.push_str("];\n");
}
