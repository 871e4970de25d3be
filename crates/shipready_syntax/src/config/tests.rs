use std::fmt::Write as _;
use std::time::{Duration, Instant};

use super::*;

fn line_of(text: &str, offset: u32) -> usize {
    text[..offset as usize].matches('\n').count() + 1
}

fn slice(text: &str, span: ByteRange) -> &str {
    &text[span.0 as usize..span.1 as usize]
}

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api   # the name
spec:
  template:
    spec:
      containers:
        - name: api
          image: \"ghcr.io/x/api:1.2\"
          ports:
            - containerPort: 8080
          livenessProbe:
            httpGet: {path: /healthz, port: 8080}
";

#[test]
fn yaml_nested_lookup_and_spans() {
    let doc = parse_yaml(DEPLOYMENT).unwrap();
    assert_eq!(doc.roots.len(), 1);
    let root = doc.root(0).unwrap();
    assert_eq!(root.str_at(&["kind"]), Some("Deployment"));
    let name = root.path(&["metadata", "name"]).unwrap();
    assert_eq!(name.as_str(), Some("api"));
    assert_eq!(slice(DEPLOYMENT, name.span()), "api");
    assert_eq!(line_of(DEPLOYMENT, name.key_span().unwrap().0), 4);
    let containers: Vec<_> = root
        .path(&["spec", "template", "spec", "containers"])
        .unwrap()
        .seq()
        .collect();
    assert_eq!(containers.len(), 1);
    let c = containers[0];
    let image = c.get("image").unwrap();
    assert_eq!(image.as_str(), Some("ghcr.io/x/api:1.2"));
    assert_eq!(slice(DEPLOYMENT, image.span()), "\"ghcr.io/x/api:1.2\"");
    let port = c.get("ports").unwrap().seq().next().unwrap();
    let cp = port.get("containerPort").unwrap();
    assert_eq!(cp.as_str(), Some("8080"));
    assert!(matches!(cp.kind(), NodeKind::Number(_)));
    let probe = c.get("livenessProbe").unwrap();
    assert_eq!(line_of(DEPLOYMENT, probe.key_span().unwrap().0), 13);
    let http = probe.get("httpGet").unwrap();
    assert_eq!(
        slice(DEPLOYMENT, http.span()),
        "{path: /healthz, port: 8080}"
    );
    assert_eq!(http.str_at(&["path"]), Some("/healthz"));
    let keys: Vec<_> = root.entries().map(|(k, _, _)| k).collect();
    assert_eq!(keys, ["apiVersion", "kind", "metadata", "spec"]);
    assert!(root.get("missing").is_none());
    assert!(name.get("x").is_none());
    assert_eq!(name.seq().count(), 0);
}

#[test]
fn yaml_multi_document() {
    let text = "a: 1\n---\nb: true\n---\n# only a comment\n---\n- x\n- ~\n";
    let doc = parse_yaml(text).unwrap();
    assert_eq!(doc.roots.len(), 4);
    assert_eq!(doc.root(0).unwrap().str_at(&["a"]), Some("1"));
    assert_eq!(doc.root(1).unwrap().get("b").unwrap().as_bool(), Some(true));
    assert!(doc.root(2).unwrap().is_null());
    let items: Vec<_> = doc.root(3).unwrap().seq().collect();
    assert_eq!(items[0].as_str(), Some("x"));
    assert!(items[1].is_null());
    assert_eq!(line_of(text, items[0].span().0), 7);
}

#[test]
fn yaml_scalar_styles() {
    let text = "a: 'it''s'\nb: \"x\\\"y\"\nc: |\n  block\n  text\nd: 0x1F\ne: 1.5e3\nf: 12abc\ng: !!str 42\nh: ''\n";
    let doc = parse_yaml(text).unwrap();
    let r = doc.root(0).unwrap();
    assert_eq!(r.str_at(&["a"]), Some("it's"));
    assert_eq!(slice(text, r.get("a").unwrap().span()), "'it''s'");
    assert_eq!(r.str_at(&["b"]), Some("x\"y"));
    assert_eq!(slice(text, r.get("b").unwrap().span()), "\"x\\\"y\"");
    assert_eq!(r.str_at(&["c"]), Some("block\ntext\n"));
    assert!(matches!(r.get("d").unwrap().kind(), NodeKind::Number(_)));
    assert!(matches!(r.get("e").unwrap().kind(), NodeKind::Number(_)));
    assert!(matches!(r.get("f").unwrap().kind(), NodeKind::Str(_)));
    assert!(matches!(r.get("g").unwrap().kind(), NodeKind::Str(_)));
    assert_eq!(r.str_at(&["h"]), Some(""));
}

#[test]
fn yaml_merge_keys_and_aliases() {
    let text = "\
base: &base
  image: node:20
  env: prod
extra: &extra
  replicas: 2
svc:
  <<: [*base, *extra]
  env: dev
one:
  <<: *base
copy: *base
";
    let doc = parse_yaml(text).unwrap();
    let r = doc.root(0).unwrap();
    let svc = r.get("svc").unwrap();
    assert_eq!(svc.str_at(&["env"]), Some("dev"));
    assert_eq!(svc.str_at(&["image"]), Some("node:20"));
    assert_eq!(svc.str_at(&["replicas"]), Some("2"));
    let keys: Vec<_> = svc.entries().map(|(k, _, _)| k).collect();
    assert_eq!(keys, ["env", "image", "replicas"]);
    assert_eq!(r.path(&["one", "image"]).unwrap().as_str(), Some("node:20"));
    assert_eq!(r.path(&["copy", "env"]).unwrap().as_str(), Some("prod"));
    // The alias is a reference: the copy resolves to the anchored node itself.
    assert_eq!(r.get("copy").unwrap().id(), r.get("base").unwrap().id());
}

#[test]
fn yaml_recursive_alias_is_not_a_cycle() {
    let doc = parse_yaml("a: &a\n  b: *a\n").unwrap();
    let r = doc.root(0).unwrap();
    assert!(r.path(&["a", "b"]).unwrap().is_null());
}

#[test]
fn yaml_alias_bomb_is_linear() {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        writeln!(text, "{}: &{} [{refs}]", w[1], w[1]).unwrap();
    }
    let start = Instant::now();
    let doc = parse_yaml(&text).unwrap();
    assert!(start.elapsed() < Duration::from_secs(2));
    assert!(doc.node_count() < 200, "{} nodes", doc.node_count());
    // Reading through the aliases works without expanding anything.
    let i = doc.root(0).unwrap().get("i").unwrap();
    let first = i.seq().next().unwrap();
    assert!(first.is_seq());
}

#[test]
fn yaml_too_deep_block_and_flow() {
    // Run on the default test thread (2 MiB stack): no recursion on depth anywhere.
    let block: String = "- ".repeat(5000) + "x\n";
    let err = parse_yaml(&block).unwrap_err();
    assert_eq!(err.reason, "too-deep");
    let flow = "[".repeat(5000) + &"]".repeat(5000);
    let err = parse_yaml(&flow).unwrap_err();
    assert_eq!(err.reason, "too-deep");
    let maps = "{a: ".repeat(5000) + &"}".repeat(5000);
    assert_eq!(parse_yaml(&maps).unwrap_err().reason, "too-deep");
    let mut indented = String::new();
    for i in 0..400 {
        indented.push_str(&" ".repeat(i));
        indented.push_str("k:\n");
    }
    assert_eq!(parse_yaml(&indented).unwrap_err().reason, "too-deep");
    // 200 levels is fine.
    let ok = "- ".repeat(200) + "x\n";
    assert!(parse_yaml(&ok).is_ok());
}

#[test]
fn yaml_invalid_is_an_error() {
    for bad in [
        "a: [1, 2\n",
        "a: b: c\n",
        "key: \"unterminated\n",
        "- a\nb: c\n",
        "*nope\n",
    ] {
        let r = parse_yaml(bad);
        assert!(r.is_err(), "{bad:?} parsed: {r:?}");
        assert_eq!(r.unwrap_err().reason, "parse-error");
    }
}

#[test]
fn yaml_non_ascii_byte_offsets() {
    let text = "title: \"héllo wörld ✓\"\nname: café\nnext: 😀 smile\nport: 80\n";
    let doc = parse_yaml(text).unwrap();
    let r = doc.root(0).unwrap();
    for key in ["title", "name", "next", "port"] {
        let v = r.get(key).unwrap();
        let (ks, _) = v.key_span().unwrap();
        assert_eq!(slice(text, v.key_span().unwrap()), key);
        assert!(text.is_char_boundary(ks as usize));
    }
    assert_eq!(
        slice(text, r.get("title").unwrap().span()),
        "\"héllo wörld ✓\""
    );
    assert_eq!(slice(text, r.get("name").unwrap().span()), "café");
    assert_eq!(slice(text, r.get("next").unwrap().span()), "😀 smile");
    assert_eq!(slice(text, r.get("port").unwrap().span()), "80");
}

const PACKAGE: &str = r#"{
  // comments are accepted (tsconfig)
  "name": "api",
  "private": true,
  "version": "1.0.0",
  "dependencies": {
    "express": "^4.18.2",
    "pg": "8.11.0",
  },
  "n": [1, -2.5e3, null, "\u00e9\ud83d\ude00"],
  "empty": {}, "list": []
}"#;

#[test]
fn json_lookup_and_spans() {
    let doc = parse_json(PACKAGE).unwrap();
    let r = doc.root(0).unwrap();
    assert_eq!(r.str_at(&["name"]), Some("api"));
    assert_eq!(r.get("private").unwrap().as_bool(), Some(true));
    let deps: Vec<_> = r.get("dependencies").unwrap().entries().collect();
    assert_eq!(deps.len(), 2);
    assert_eq!(deps[0].0, "express");
    assert_eq!(slice(PACKAGE, deps[0].1), "\"express\"");
    assert_eq!(slice(PACKAGE, deps[0].2.span()), "\"^4.18.2\"");
    assert_eq!(line_of(PACKAGE, deps[1].1.0), 8);
    let n: Vec<_> = r.get("n").unwrap().seq().collect();
    assert_eq!(n[1].as_str(), Some("-2.5e3"));
    assert!(n[2].is_null());
    assert_eq!(n[3].as_str(), Some("é😀"));
    assert!(r.get("empty").unwrap().is_map());
    assert!(r.get("list").unwrap().is_seq());
    let deps_node = r.get("dependencies").unwrap();
    assert!(slice(PACKAGE, deps_node.span()).starts_with('{'));
    assert!(slice(PACKAGE, deps_node.span()).ends_with('}'));
    assert_eq!(slice(PACKAGE, r.span()), PACKAGE);
}

#[test]
fn json_invalid_is_an_error() {
    for bad in [
        "{",
        "{\"a\" 1}",
        "[1 2]",
        "{\"a\": tru}",
        "[1,,2]",
        "{\"a\": 1} x",
        "\"open",
        "{'a': 1}",
        "[01x]",
        "/* open",
        "{\"a\":}",
        "]",
    ] {
        let r = parse_json(bad);
        assert!(r.is_err(), "{bad:?} parsed: {r:?}");
        assert_eq!(r.unwrap_err().reason, "parse-error", "{bad:?}");
    }
    assert!(parse_json("").unwrap().roots.is_empty());
    assert!(parse_json("  // nothing\n").unwrap().roots.is_empty());
    assert_eq!(
        parse_json("42").unwrap().root(0).unwrap().as_str(),
        Some("42")
    );
}

#[test]
fn json_too_deep() {
    let deep = "[".repeat(5000) + &"]".repeat(5000);
    assert_eq!(parse_json(&deep).unwrap_err().reason, "too-deep");
    let deep = "{\"a\":".repeat(5000) + "1" + &"}".repeat(5000);
    assert_eq!(parse_json(&deep).unwrap_err().reason, "too-deep");
    let ok = "[".repeat(256) + &"]".repeat(256);
    assert!(parse_json(&ok).is_ok());
    let too = "[".repeat(257) + &"]".repeat(257);
    assert!(parse_json(&too).is_err());
}

#[test]
fn json_non_ascii_spans() {
    let text = "{\"naïve\": \"café ✓\", \"b\": 1}";
    let doc = parse_json(text).unwrap();
    let r = doc.root(0).unwrap();
    let v = r.get("naïve").unwrap();
    assert_eq!(slice(text, v.key_span().unwrap()), "\"naïve\"");
    assert_eq!(slice(text, v.span()), "\"café ✓\"");
    assert_eq!(slice(text, r.get("b").unwrap().span()), "1");
}

const PYPROJECT: &str = r#"[project]
name = "svc"
dependencies = ["fastapi>=0.110", "uvicorn[standard]"]

[project.optional-dependencies]
dev = ["pytest"]

[tool.poetry.dependencies]
python = "^3.11"
requests = { version = "^2.31", extras = ["socks"] }

[[tool.poetry.source]]
name = "private"

[[tool.poetry.source]]
name = "other"
"#;

#[test]
fn toml_lookup_and_spans() {
    let doc = parse_toml(PYPROJECT).unwrap();
    let r = doc.root(0).unwrap();
    assert_eq!(r.str_at(&["project", "name"]), Some("svc"));
    let deps: Vec<_> = r
        .path(&["project", "dependencies"])
        .unwrap()
        .seq()
        .collect();
    assert_eq!(deps[0].as_str(), Some("fastapi>=0.110"));
    assert_eq!(slice(PYPROJECT, deps[0].span()), "\"fastapi>=0.110\"");
    assert_eq!(line_of(PYPROJECT, deps[1].span().0), 3);
    let dev = r
        .path(&["project", "optional-dependencies", "dev"])
        .unwrap();
    assert_eq!(line_of(PYPROJECT, dev.key_span().unwrap().0), 6);
    let poetry = r.path(&["tool", "poetry", "dependencies"]).unwrap();
    let keys: Vec<_> = poetry
        .entries()
        .map(|(k, ks, _)| (k, line_of(PYPROJECT, ks.0)))
        .collect();
    assert_eq!(keys, [("python", 9), ("requests", 10)]);
    let req = poetry.get("requests").unwrap();
    assert_eq!(req.str_at(&["version"]), Some("^2.31"));
    assert_eq!(
        slice(PYPROJECT, req.get("version").unwrap().key_span().unwrap()),
        "version"
    );
    let sources: Vec<_> = r
        .path(&["tool", "poetry", "source"])
        .unwrap()
        .seq()
        .collect();
    assert_eq!(sources.len(), 2);
    assert_eq!(sources[1].str_at(&["name"]), Some("other"));
    assert_eq!(
        line_of(PYPROJECT, sources[1].get("name").unwrap().span().0),
        16
    );
}

#[test]
fn toml_invalid_and_deep() {
    assert_eq!(parse_toml("a = \n").unwrap_err().reason, "parse-error");
    assert_eq!(parse_toml("[a\n").unwrap_err().reason, "parse-error");
    let deep = "a = ".to_string() + &"[".repeat(5000) + &"]".repeat(5000);
    assert!(parse_toml(&deep).is_err());
    let dotted = "[".to_string() + &vec!["a"; 5000].join(".") + "]\n";
    assert!(parse_toml(&dotted).is_err());
    let doc = parse_toml("").unwrap();
    assert!(doc.root(0).unwrap().is_map());
}

#[test]
fn yaml_flow_closing_bracket_at_key_indent_parses_with_original_spans() {
    let text = "svc:\n  a:\n    command: [\n      \"start\",\n      \"x\"\n    ]\n    ports:\n      - \"1\"\n";
    let doc = parse_yaml(text).expect("lenient parse");
    let root = doc.root(0).expect("root");
    let a = root.path(&["svc", "a"]).expect("a");
    let cmd = a.get("command").expect("command");
    assert_eq!(cmd.seq().count(), 2);
    let ports = a.get("ports").expect("ports");
    let key = ports.key_span().expect("key span");
    assert_eq!(&text[key.0 as usize..key.1 as usize], "ports");
    let first = ports.seq().next().expect("first port");
    let (s, e) = first.span();
    assert!(text[s as usize..e as usize].contains('1'));
}
