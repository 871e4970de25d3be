//! shipready.toml: every key, every error with its line, discovery, rebasing, `init`, and the
//! JSON Schema agreeing with the parser.

use std::path::Path;

use shipready_config::{Config, DEFAULT_CONFIG, FILE_NAME, find, init, parse};
use shipready_model::{ComponentKind, Severity};
use shipready_rules::Date;

const FULL: &str = r#"
fail_on = "high"
min_score = 60
target_score = 85
exclude = ["legacy", "./tools/generated/"]

[rules]
select = ["REL", "SEC002", "cors-allows-any-origin", "AVL001"]
ignore = ["rel005"]

[rules.severity]
REL003 = "medium"
dependency-error-exits-process = "high"

[coverage]
target = 75

[components.billing]
path = "services/billing"
kind = "worker"

[components."apps/web"]
kind = "frontend"

[[waivers]]
rule = "SEC002"
path = "apps/api/**/*.ts"
reason = "public read-only catalogue"
owner = "platform"
expires = 2026-12-31

[[waivers]]
rule = "dependency-error-exits-process"
fingerprint = "83F5CB145C10"
reason = "supervised by systemd"
expires = "2027-01-31"
"#;

fn err(text: &str) -> String {
    match parse(text, "shipready.toml") {
        Ok(c) => panic!("expected an error, got {c:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn every_key_parses() {
    let c = parse(FULL, "shipready.toml").expect("parse");
    assert_eq!(c.fail_on, Some(Severity::High));
    assert_eq!(c.min_score, Some(60));
    assert_eq!(c.target_score, Some(85));
    assert_eq!(c.coverage_target, Some(75));
    assert_eq!(c.exclude, ["legacy", "tools/generated"]);
    let select = c.rules.select.clone().expect("select");
    assert!(
        select.contains(&"REL001".to_string()),
        "family expands: {select:?}"
    );
    assert!(select.contains(&"SEC002".to_string()));
    assert!(select.contains(&"AVL001".to_string()));
    assert_eq!(c.rules.ignore, ["REL005"]);
    assert!(c.rules.enabled("REL001"));
    assert!(!c.rules.enabled("REL005"), "ignore wins over select");
    assert!(!c.rules.enabled("OBS001"), "not selected");
    assert_eq!(c.rules.severity.get("REL003"), Some(&Severity::Medium));
    assert_eq!(c.rules.severity.get("REL001"), Some(&Severity::High));
    assert_eq!(c.components.len(), 2);
    assert_eq!(c.components[0].name, "billing");
    assert_eq!(c.components[0].path, "services/billing");
    assert_eq!(c.components[0].kind, Some(ComponentKind::Worker));
    assert_eq!(c.components[1].path, "apps/web");
    assert_eq!(c.waivers.len(), 2);
    let w = &c.waivers[0];
    assert_eq!(w.rule, "SEC002");
    assert_eq!(w.path.as_deref(), Some("apps/api/**/*.ts"));
    assert_eq!(w.owner.as_deref(), Some("platform"));
    assert_eq!(w.expires, Date::new(2026, 12, 31));
    assert_eq!((w.file.as_str(), w.line), ("shipready.toml", 25));
    let w = &c.waivers[1];
    assert_eq!(w.rule, "REL001", "slugs resolve to codes");
    assert_eq!(w.fingerprint.as_deref(), Some("83f5cb145c10"));
    assert_eq!(w.expires, Date::new(2027, 1, 31));
}

#[test]
fn empty_and_default_files_change_nothing() {
    let expected = Config {
        source: Some("shipready.toml".to_string()),
        ..Config::default()
    };
    assert_eq!(parse("", "shipready.toml").expect("empty"), expected);
    assert_eq!(
        parse(DEFAULT_CONFIG, "shipready.toml").expect("default"),
        expected
    );
}

/// The default file with its example lines uncommented.
fn uncommented_default() -> String {
    DEFAULT_CONFIG
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest)
                if rest.starts_with('[')
                    || rest
                        .split_once(" = ")
                        .is_some_and(|(k, _)| !k.contains(' ')) =>
            {
                rest
            }
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn default_examples_are_valid_when_uncommented() {
    let text = uncommented_default();
    let c = parse(&text, "shipready.toml").unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(c.fail_on, Some(Severity::High));
    assert_eq!(c.min_score, Some(60));
    assert_eq!(c.waivers.len(), 1);
    assert_eq!(c.components.len(), 1);
    assert!(c.rules.select.is_some());
    assert_eq!(c.coverage_target, Some(80));
}

#[test]
fn errors_name_the_line_and_what_is_allowed() {
    let e = err("[rules]\nselct = [\"REL001\"]\n");
    assert!(
        e.starts_with(
            "shipready.toml:2:1: unknown key `selct` in [rules] (did you mean `select`?)"
        ),
        "{e}"
    );
    let e = err("fail_on = \"severe\"\n");
    assert!(
        e.starts_with("shipready.toml:1:11: `fail_on` must be one of"),
        "{e}"
    );
    let e = err("\n\nmin_score = 101\n");
    assert!(e.starts_with("shipready.toml:3:"), "{e}");
    assert!(e.contains("0 to 100"), "{e}");
    let e = err("target_score = \"80\"\n");
    assert!(e.contains("whole number"), "{e}");
    let e = err("colour = true\n");
    assert!(e.contains("unknown key `colour` in shipready.toml"), "{e}");
    let e = err("[rules]\nignore = [\"NOPE999\"]\n");
    assert!(
        e.starts_with("shipready.toml:2:11: `NOPE999` is not a shipready rule"),
        "{e}"
    );
    let e = err("[rules.severity]\nREL001 = \"urgent\"\n");
    assert!(e.starts_with("shipready.toml:2:"), "{e}");
    let e = err("exclude = [\"**/*.gen.ts\"]\n");
    assert!(e.contains("is a glob"), "{e}");
    let e = err("exclude = [\"../other\"]\n");
    assert!(e.contains("inside the repository"), "{e}");
    let e = err("[components.api]\nkind = \"daemon\"\n");
    assert!(
        e.starts_with("shipready.toml:2:8: `kind` must be one of"),
        "{e}"
    );
    let e = err("[components.api]\npaht = \"x\"\n");
    assert!(
        e.contains("unknown key `paht` in [components.api] (did you mean `path`?)"),
        "{e}"
    );
    let e = err("[[waivers]]\nrule = \"SEC002\"\n");
    assert!(e.starts_with("shipready.toml:1:"), "{e}");
    assert!(e.contains("non-empty `reason`"), "{e}");
    let e = err("[[waivers]]\nreason = \"x\"\n");
    assert!(e.contains("needs `rule`"), "{e}");
    let e = err("[[waivers]]\nrule = \"SEC002\"\nreason = \"x\"\nexpires = 2026-02-30\n");
    assert!(e.starts_with("shipready.toml:4:"), "{e}");
    let e = err("[[waivers]]\nrule = \"SEC002\"\nreason = \"x\"\nexpires = \"soon\"\n");
    assert!(e.contains("must be a date"), "{e}");
    let e = err("[[waivers]]\nrule = \"SEC002\"\nreason = \"x\"\nfingerprint = \"abc\"\n");
    assert!(e.contains("first 12 characters"), "{e}");
    let e = err("[[waivers]]\nrule = \"SEC002\"\nreason = \"x\"\nexpiry = 2026-01-01\n");
    assert!(e.contains("did you mean `expires`?"), "{e}");
    let e = err("fail_on = \n");
    assert!(e.starts_with("shipready.toml:1:"), "{e}");
    assert!(e.contains("invalid TOML"), "{e}");
    let e = err("waivers = 3\n");
    assert!(e.contains("array of tables"), "{e}");
}

#[test]
fn inline_table_waivers_are_accepted() {
    let c = parse(
        "waivers = [{ rule = \"SEC002\", reason = \"ok\", path = \"api\" }]\n",
        "x.toml",
    )
    .expect("parse");
    assert_eq!(c.waivers.len(), 1);
    assert_eq!(c.waivers[0].line, 1);
}

#[test]
fn rebasing_to_a_subfolder() {
    let c = parse(FULL, "shipready.toml").expect("parse");
    let r = c.rebased("services");
    assert!(r.exclude.is_empty(), "{:?}", r.exclude);
    assert_eq!(r.components.len(), 1);
    assert_eq!(r.components[0].path, "billing");
    // The `apps/api/**` waiver is outside `services`; the fingerprint waiver has no path.
    assert_eq!(r.waivers.len(), 1);
    assert_eq!(r.waivers[0].rule, "REL001");
    let c = parse("exclude = [\"apps/api/gen\"]\n[[waivers]]\nrule=\"SEC002\"\nreason=\"r\"\npath=\"apps/api\"\n", "x").expect("parse");
    let r = c.rebased("apps/api");
    assert_eq!(r.exclude, ["gen"]);
    assert_eq!(r.waivers[0].path.as_deref(), Some(""));
}

#[test]
fn discovery_walks_up_to_the_repository_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("repo");
    let deep = repo.join("apps/api/src");
    std::fs::create_dir_all(&deep).expect("mkdir");
    std::fs::create_dir_all(repo.join(".git")).expect("mkdir");
    assert_eq!(find(&deep), None, "no file up to the .git folder");
    // A file above the repository root is not used.
    std::fs::write(dir.path().join(FILE_NAME), "fail_on = \"low\"\n").expect("write");
    assert_eq!(find(&deep), None);
    std::fs::write(repo.join(FILE_NAME), "").expect("write");
    let found = find(&deep).expect("found");
    assert_eq!(found.file_name().and_then(|n| n.to_str()), Some(FILE_NAME));
    assert_eq!(
        found.parent().map(Path::to_path_buf),
        repo.canonicalize().ok()
    );
    std::fs::write(repo.join("apps/api").join(FILE_NAME), "").expect("write");
    let nearer = find(&deep).expect("found");
    assert!(
        nearer.ends_with("apps/api/shipready.toml"),
        "{}",
        nearer.display()
    );
}

#[test]
fn init_writes_once_and_keeps_gitignore_tidy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join(".gitignore"), "node_modules").expect("write");
    let report = init(root).expect("init");
    assert_eq!(report.config, root.join(FILE_NAME));
    assert_eq!(
        std::fs::read_to_string(root.join(FILE_NAME)).expect("read"),
        DEFAULT_CONFIG
    );
    assert_eq!(
        std::fs::read_to_string(root.join(".gitignore")).expect("read"),
        "node_modules\n# shipready: run history stays local, the risk register is committed\n.shipready/*\n!.shipready/register.toml\n"
    );
    // Refuses to overwrite, and changes nothing.
    std::fs::write(root.join(FILE_NAME), "fail_on = \"low\"\n").expect("write");
    let e = init(root).expect_err("exists");
    assert!(e.contains("already exists"), "{e}");
    assert_eq!(
        std::fs::read_to_string(root.join(FILE_NAME)).expect("read"),
        "fail_on = \"low\"\n"
    );
    // Idempotent on .gitignore: a second init elsewhere in the same state adds nothing.
    std::fs::remove_file(root.join(FILE_NAME)).expect("rm");
    let report = init(root).expect("init");
    assert_eq!(report.gitignore, None);
    assert_eq!(
        std::fs::read_to_string(root.join(".gitignore")).expect("read"),
        "node_modules\n# shipready: run history stays local, the risk register is committed\n.shipready/*\n!.shipready/register.toml\n"
    );
    // Missing .gitignore is created.
    let other = tempfile::tempdir().expect("tempdir");
    let report = init(other.path()).expect("init");
    assert!(report.gitignore.is_some());
    assert_eq!(
        std::fs::read_to_string(other.path().join(".gitignore")).expect("read"),
        "# shipready: run history stays local, the risk register is committed\n.shipready/*\n!.shipready/register.toml\n"
    );
    assert!(init(&other.path().join("missing")).is_err());
}

/// TOML -> JSON for the schema check (dates become strings, as the schema says).
fn to_json(item: &toml_edit::Item) -> serde_json::Value {
    use serde_json::Value as J;
    use toml_edit::Value as V;
    fn value(v: &V) -> J {
        match v {
            V::String(s) => J::String(s.value().clone()),
            V::Integer(i) => J::from(*i.value()),
            V::Float(f) => J::from(*f.value()),
            V::Boolean(b) => J::Bool(*b.value()),
            V::Datetime(d) => J::String(d.value().to_string()),
            V::Array(a) => J::Array(a.iter().map(value).collect()),
            V::InlineTable(t) => {
                J::Object(t.iter().map(|(k, v)| (k.to_string(), value(v))).collect())
            }
        }
    }
    match item {
        toml_edit::Item::None => J::Null,
        toml_edit::Item::Value(v) => value(v),
        toml_edit::Item::Table(t) => {
            J::Object(t.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect())
        }
        toml_edit::Item::ArrayOfTables(a) => J::Array(
            a.iter()
                .map(|t| J::Object(t.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect()))
                .collect(),
        ),
    }
}

#[test]
fn json_schema_agrees_with_the_parser() {
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema/shipready-toml.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).expect("schema")).expect("json");
    let validator = jsonschema::validator_for(&schema).expect("compile");
    let check = |text: &str| -> bool {
        let doc: toml_edit::DocumentMut = text.parse().expect("toml");
        validator.is_valid(&to_json(doc.as_item()))
    };
    for good in [FULL, DEFAULT_CONFIG, &uncommented_default(), ""] {
        assert!(parse(good, "x").is_ok());
        assert!(check(good), "schema rejects a valid file:\n{good}");
    }
    for bad in [
        "[rules]\nselct = [\"REL001\"]\n",
        "fail_on = \"severe\"\n",
        "min_score = 101\n",
        "colour = true\n",
        "exclude = [\"**/*.gen.ts\"]\n",
        "[components.api]\nkind = \"daemon\"\n",
        "[[waivers]]\nrule = \"SEC002\"\n",
        "[[waivers]]\nrule = \"SEC002\"\nreason = \"x\"\nfingerprint = \"abc\"\n",
        "[[waivers]]\nrule = \"SEC002\"\nreason = \"x\"\nexpiry = 2026-01-01\n",
    ] {
        assert!(parse(bad, "x").is_err(), "{bad}");
        assert!(!check(bad), "schema accepts an invalid file:\n{bad}");
    }
}
