//! Run history and the risk register, end to end: stable risk ids, fixed and reopened risks,
//! deltas in every format, decisions in `.shipready/register.toml`, and the reliability
//! requirements (concurrent scans, SIGKILL while writing, damaged and newer databases).

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{run_env, write};
use serde_json::Value;

/// History on (the harness turns it off for other tests).
const ON: (&str, &str) = ("SHIPREADY_NO_HISTORY", "0");
const LIMIT: Duration = Duration::from_mins(2);

fn sr(args: &[&str]) -> Output {
    run_env(args, &[ON, ("SHIPREADY_TODAY", "2026-01-15")], LIMIT)
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn scan_json(root: &Path, extra: &[&str]) -> Value {
    let p = root.to_string_lossy().to_string();
    let mut args = vec!["scan", p.as_str(), "--format", "json", "--no-progress"];
    args.extend_from_slice(extra);
    let out = sr(&args);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "scan failed: {}",
        common::stderr(&out)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}); stderr: {}", common::stderr(&out)))
}

/// Copies a folder (small fixtures only).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            if entry.file_name() != ".shipready" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// `rule path:line` → risk id of the open findings.
fn ids(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                format!(
                    "{} {}",
                    f["rule"].as_str().unwrap_or(""),
                    f["location"]["path"].as_str().unwrap_or("")
                ),
                f["id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn change_ids(report: &Value, list: &str) -> Vec<String> {
    let mut v: Vec<String> = report["changes"][list]
        .as_array()
        .unwrap_or_else(|| panic!("changes.{list}"))
        .iter()
        .map(|f| f["id"].as_str().unwrap_or("?").to_string())
        .collect();
    v.sort();
    v
}

/// The id of the open finding of `rule` at `path:line`.
fn id_at(report: &Value, rule: &str, path: &str, line: u64) -> String {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| {
            f["rule"] == rule && f["location"]["path"] == path && f["location"]["line"] == line
        })
        .and_then(|f| f["id"].as_str())
        .unwrap_or_else(|| panic!("no {rule} at {path}:{line}"))
        .to_string()
}

fn db_js(secret_host: &str) -> String {
    format!(
        "const {{ Pool }} = require('pg');\nconst pool = new Pool({{ connectionString: 'postgres://shop:Xk29vLm44qPz@{secret_host}:5432/shop' }});\nmodule.exports = pool;\n"
    )
}

fn small_repo(files: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "api/package.json",
        r#"{"name":"api","dependencies":{"express":"^4.19.2","pg":"^8.11.0"}}"#,
    );
    for i in 0..files {
        write(
            dir.path(),
            &format!("api/src/db{i}.js"),
            &db_js(&format!("db{i}.internal")),
        );
    }
    dir
}

#[test]
fn demo_fix_two_add_one_shows_deltas_ids_and_statuses_in_every_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("shop");
    copy_dir(&common::demo(), &root);
    let first = scan_json(&root, &[]);
    assert!(
        first["changes"].is_null(),
        "first run has nothing to compare with"
    );
    assert_eq!(first["history"].as_array().map(Vec::len), Some(1));
    let secrets = "deploy/k8s/secrets.yaml";
    let fixed_a = id_at(&first, "SEC005", secrets, 8);
    let fixed_b = id_at(&first, "SEC005", secrets, 9);
    let kept = id_at(&first, "SEC005", secrets, 10);
    let every_id: Vec<String> = ids(&first).into_iter().map(|(_, id)| id).collect();
    assert!(
        every_id.iter().all(|id| id.starts_with("RISK-")),
        "{every_id:?}"
    );

    // Fix two risks (the two database URLs), add one (a new file with a secret).
    let path = root.join(secrets);
    let yaml = std::fs::read_to_string(&path).expect("read");
    let without: String = yaml
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 7 && *i != 8)
        .fold(String::new(), |mut acc, (_, l)| {
            acc.push_str(l);
            acc.push('\n');
            acc
        });
    std::fs::write(&path, &without).expect("write");
    write(
        &root,
        "services/api/src/cache.js",
        &db_js("cache-db.internal"),
    );

    let second = scan_json(&root, &[]);
    assert_eq!(change_ids(&second, "fixed"), {
        let mut v = vec![fixed_a.clone(), fixed_b.clone()];
        v.sort();
        v
    });
    let new = change_ids(&second, "new");
    assert!(!new.is_empty(), "the added secret is new");
    assert!(
        new.iter().all(|id| !every_id.contains(id)),
        "new risks get new ids: {new:?}"
    );
    assert_eq!(
        id_at(&second, "SEC005", secrets, 8),
        kept,
        "the key moved up two lines and kept its id"
    );
    assert!(
        second["changes"]["reopened"]
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    assert!(second["scores"]["previous"].is_u64());
    assert!(second["scores"]["delta"].is_i64());
    assert_eq!(second["history"].as_array().map(Vec::len), Some(2));

    // Markdown and HTML show the changes and the runs.
    let root_s = root.to_string_lossy().to_string();
    let md = text(&sr(&[
        "scan",
        &root_s,
        "--format",
        "markdown",
        "--no-history",
    ]));
    assert!(md.contains("Changes since the previous run"), "{md}");
    let html = text(&sr(&["scan", &root_s, "--format", "html", "--no-history"]));
    assert!(html.contains("Changes since the previous run"));

    // Put the secrets back: the fixed risks reopen with their old ids.
    std::fs::write(&path, &yaml).expect("write");
    let md_path = dir.path().join("third.md");
    let html_path = dir.path().join("third.html");
    let third = scan_json(
        &root,
        &[
            "--report",
            &format!("markdown={}", md_path.display()),
            "--report",
            &format!("html={}", html_path.display()),
        ],
    );
    assert_eq!(change_ids(&third, "reopened"), {
        let mut v = vec![fixed_a.clone(), fixed_b.clone()];
        v.sort();
        v
    });
    assert_eq!(id_at(&third, "SEC005", secrets, 8), fixed_a);
    // Reports with history (ids, reopened, trend points) still match the schema.
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::workspace().join("docs/schema/report-v1.json"))
            .expect("schema"),
    )
    .expect("schema json");
    let validator = jsonschema::validator_for(&schema).expect("compile schema");
    for report in [&first, &second, &third] {
        let errors: Vec<String> = validator
            .iter_errors(report)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    assert_eq!(id_at(&third, "SEC005", secrets, 10), kept);
    let md = std::fs::read_to_string(&md_path).expect("markdown");
    assert!(
        md.contains("| New | Fixed | Reopened | Still open | Waived |"),
        "{md}"
    );
    assert!(md.contains("**Reopened**"), "{md}");
    assert!(md.contains(&format!("- {fixed_a} SEC005")), "{md}");
    assert!(md.contains("## Last runs") && md.contains("| #3 |"), "{md}");
    let html = std::fs::read_to_string(&html_path).expect("html");
    assert!(
        html.contains("<h3>Reopened</h3>"),
        "reopened listed in HTML"
    );
    assert!(
        html.contains(&format!("<b>{fixed_a}</b>")),
        "ids in HTML changes"
    );
    assert!(html.contains("<h3>By category</h3>"), "trend per category");
    let md = text(&sr(&["scan", &root_s, "--format", "markdown"]));
    assert!(md.contains(&fixed_a), "markdown names risk ids");

    // Terminal: the history summary on standard error.
    let out = sr(&["scan", &root_s, "--no-progress"]);
    let err = common::stderr(&out);
    assert!(err.contains("HISTORY: run #5"), "{err}");
    assert!(err.contains("still open"), "{err}");

    // `shipready history` lists the runs, text and JSON.
    let out = sr(&["history", &root_s]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let listing = text(&out);
    assert!(listing.lines().count() >= 6, "{listing}");
    let out = sr(&["history", &root_s, "--format", "json"]);
    let runs: Value = serde_json::from_slice(&out.stdout).expect("json");
    let runs = runs.as_array().expect("array");
    assert_eq!(runs.len(), 5);
    assert_eq!(runs[1]["fixed"], 2);
    assert_eq!(runs[2]["reopened"], 2);

    // `risk list` and `risk show`.
    let out = sr(&["risk", "list", "--root", &root_s]);
    assert!(text(&out).contains(&kept), "{}", text(&out));
    let out = sr(&["risk", "show", &fixed_a, "--root", &root_s]);
    let shown = text(&out);
    assert!(
        shown.contains("reopened") && shown.contains("fixed"),
        "{shown}"
    );
}

#[test]
fn accepted_risk_is_waived_until_its_date_and_assign_writes_the_register() {
    let dir = small_repo(2);
    let root = dir.path().to_string_lossy().to_string();
    let first = scan_json(dir.path(), &[]);
    let id = id_at(&first, "SEC005", "api/src/db0.js", 2);
    let other = id_at(&first, "SEC005", "api/src/db1.js", 2);

    let out = sr(&[
        "risk",
        "accept",
        &id,
        "--reason",
        "rotated next sprint",
        "--until",
        "2026-02-01",
        "--root",
        &root,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let out = sr(&[
        "risk",
        "assign",
        &other,
        "--owner",
        "DBA",
        "--due",
        "2026-01-31",
        "--root",
        &root,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let register =
        std::fs::read_to_string(dir.path().join(".shipready/register.toml")).expect("register");
    let (a, b) = (
        register
            .find(&format!("[risks.{id}]"))
            .expect("accepted entry"),
        register
            .find(&format!("[risks.{other}]"))
            .expect("assigned entry"),
    );
    assert!(a < b, "sorted by id:\n{register}");
    assert!(
        register.contains("owner = \"DBA\"")
            && register.contains("accepted_until = \"2026-02-01\"")
    );

    let second = scan_json(dir.path(), &[]);
    let waived: Vec<&str> = second["suppressed"]
        .as_array()
        .expect("suppressed")
        .iter()
        .filter_map(|s| s["finding"]["id"].as_str())
        .collect();
    assert_eq!(waived, vec![id.as_str()]);
    assert_eq!(change_ids(&second, "waived"), vec![id.clone()]);

    let out = sr(&["risk", "list", "--root", &root]);
    let listing = text(&out);
    assert!(listing.contains("accepted until 2026-02-01"), "{listing}");
    assert!(listing.contains("owner DBA due 2026-01-31"), "{listing}");

    // After its date the acceptance no longer holds: open again, same id.
    let out = run_env(
        &["scan", &root, "--format", "json", "--no-progress"],
        &[ON, ("SHIPREADY_TODAY", "2026-03-01")],
        LIMIT,
    );
    let third: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(id_at(&third, "SEC005", "api/src/db0.js", 2), id);
    assert_eq!(change_ids(&third, "reopened"), vec![id]);
}

#[test]
fn register_syntax_error_is_reported_with_its_line() {
    let dir = small_repo(1);
    write(
        dir.path(),
        ".shipready/register.toml",
        "[risks.RISK-001]\nrule = \"SEC005\"\nowner = \n",
    );
    let root = dir.path().to_string_lossy().to_string();
    let out = sr(&["scan", &root, "--no-progress"]);
    assert_eq!(out.status.code(), Some(2));
    let err = common::stderr(&out);
    assert!(err.contains(".shipready/register.toml:3:"), "{err}");
    write(
        dir.path(),
        ".shipready/register.toml",
        "[risks.RISK-001]\nrule = \"SEC005\"\ndue = \"next week\"\n",
    );
    let out = sr(&["risk", "list", "--root", &root]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("register.toml:3: `due`"),
        "{}",
        common::stderr(&out)
    );
}

#[test]
fn moving_code_keeps_the_risk_id() {
    let dir = small_repo(2);
    let first = scan_json(dir.path(), &[]);
    let id0 = id_at(&first, "SEC005", "api/src/db0.js", 2);
    let id1 = id_at(&first, "SEC005", "api/src/db1.js", 2);

    // Lines added above the finding.
    let p0 = dir.path().join("api/src/db0.js");
    let body = std::fs::read_to_string(&p0).expect("read");
    std::fs::write(&p0, format!("// header\n'use strict';\n\n{body}")).expect("write");
    // A file renamed with the same content (the fingerprint includes the path).
    std::fs::rename(
        dir.path().join("api/src/db1.js"),
        dir.path().join("api/src/database.js"),
    )
    .expect("rename");

    let second = scan_json(dir.path(), &[]);
    assert_eq!(id_at(&second, "SEC005", "api/src/db0.js", 5), id0);
    assert_eq!(id_at(&second, "SEC005", "api/src/database.js", 2), id1);
    assert!(
        change_ids(&second, "new").is_empty(),
        "{}",
        second["changes"]
    );
    assert!(
        change_ids(&second, "fixed").is_empty(),
        "{}",
        second["changes"]
    );
}

#[test]
fn no_history_and_db_elsewhere() {
    let dir = small_repo(1);
    scan_json(dir.path(), &["--no-history"]);
    assert!(!dir.path().join(".shipready").exists());
    let db = tempfile::tempdir().expect("tempdir");
    let db_path = db.path().join("nested/h.db");
    let db_s = db_path.to_string_lossy().to_string();
    let report = scan_json(dir.path(), &["--db", &db_s]);
    assert!(report["findings"][0]["id"].is_string());
    assert!(db_path.is_file());
    assert!(!dir.path().join(".shipready").exists());
    let out = sr(&["history", &dir.path().to_string_lossy(), "--db", &db_s]);
    assert_eq!(out.status.code(), Some(0));
    // No database yet: a clear message, exit 2.
    let out = sr(&["history", &db.path().to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("no history"),
        "{}",
        common::stderr(&out)
    );
}

#[test]
fn damaged_database_gives_a_clear_error_and_the_way_out() {
    let dir = small_repo(2);
    let root = dir.path().to_string_lossy().to_string();
    scan_json(dir.path(), &[]);
    scan_json(dir.path(), &[]);
    let db = dir.path().join(".shipready/history.db");
    // Fold the WAL into the file so truncation hits real pages.
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    drop(conn);
    let bytes = std::fs::read(&db).expect("read");

    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "garbage",
            b"this is not a database at all, just text".repeat(200),
        ),
        ("truncated", bytes[..bytes.len() / 2].to_vec()),
        ("header only", bytes[..100].to_vec()),
        ("scrambled pages", {
            let mut b = bytes.clone();
            for (i, x) in b.iter_mut().enumerate().skip(4096) {
                *x = x.wrapping_mul(31).wrapping_add(i as u8);
            }
            b
        }),
    ];
    for (name, content) in cases {
        let _ = std::fs::remove_file(dir.path().join(".shipready/history.db-wal"));
        let _ = std::fs::remove_file(dir.path().join(".shipready/history.db-shm"));
        std::fs::write(&db, &content).expect("write");
        for args in [
            vec!["scan", root.as_str(), "--no-progress"],
            vec!["history", root.as_str()],
            vec!["risk", "list", "--root", root.as_str()],
        ] {
            let out = sr(&args);
            let err = common::stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{name} {args:?}: {err}");
            assert!(!err.contains("internal error"), "{name}: {err}");
            assert!(
                err.contains("history database") && err.contains("--db"),
                "{name} {args:?}: {err}"
            );
        }
    }
    // The way out: another database, or none.
    let other = dir.path().join("other.db").to_string_lossy().to_string();
    scan_json(dir.path(), &["--db", &other]);
    scan_json(dir.path(), &["--no-history"]);
}

#[test]
fn database_from_a_newer_shipready_is_refused_and_untouched() {
    let dir = small_repo(1);
    scan_json(dir.path(), &[]);
    let db = dir.path().join(".shipready/history.db");
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.pragma_update(None, "user_version", 99)
            .expect("pragma");
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpoint");
        conn.pragma_update(None, "journal_mode", "DELETE")
            .expect("journal mode");
    }
    let before = std::fs::read(&db).expect("read");
    let out = sr(&["scan", &dir.path().to_string_lossy(), "--no-progress"]);
    assert_eq!(out.status.code(), Some(2));
    let err = common::stderr(&out);
    assert!(
        err.contains("newer shipready") && err.contains("untouched"),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).expect("read"), before, "not modified");
    assert!(!dir.path().join(".shipready/history.db-wal").exists());
}

fn spawn_scan(root: &Path, slow_ms: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_shipready"))
        .args([
            "scan",
            &root.to_string_lossy(),
            "--format",
            "json",
            "--no-progress",
        ])
        .env("SHIPREADY_NO_HISTORY", "0")
        .env("SHIPREADY_TEST_SLOW_WRITE_MS", slow_ms)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

fn verify(db: &Path) -> u32 {
    let store = shipready_history::Store::open(db, false).expect("open");
    store.verify().expect("consistent")
}

#[test]
fn two_scans_at_once_both_complete_and_are_stored() {
    let dir = small_repo(6);
    // Slow writes make the two transactions overlap in time: the second waits for the first.
    let a = spawn_scan(dir.path(), "20");
    let b = spawn_scan(dir.path(), "20");
    for child in [a, b] {
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let db = dir.path().join(".shipready/history.db");
    assert_eq!(verify(&db), 2);
    let conn = rusqlite::Connection::open(&db).expect("open");
    let (runs, rows): (u32, u32) = conn
        .query_row(
            "SELECT count(*), (SELECT count(DISTINCT run_id) FROM run_findings) FROM runs",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("count");
    assert_eq!((runs, rows), (2, 2));
    // Both saw the same risks: ids were not assigned twice.
    let risks: u32 = conn
        .query_row("SELECT count(*) FROM risks", [], |r| r.get(0))
        .expect("count");
    let per_run: u32 = conn
        .query_row("SELECT finding_rows FROM runs WHERE id = 1", [], |r| {
            r.get(0)
        })
        .expect("rows");
    assert_eq!(risks, per_run);
}

/// A small pseudo-random sequence (no dependency): xorshift seeded from the clock.
struct Rng(u64);

impl Rng {
    fn new() -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
            | 1;
        Rng(seed)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn sigkill_while_writing_leaves_every_run_whole_or_absent() {
    let dir = small_repo(12);
    let db = dir.path().join(".shipready/history.db");
    // One complete run first, so later runs update risks, not only insert them.
    scan_json(dir.path(), &[]);
    let mut rng = Rng::new();
    let started = Instant::now();
    let (mut killed_running, mut completed) = (0, 0);
    let mut iterations = 0;
    // Bounded: at most 20 kills and about 8 seconds.
    while iterations < 20 && started.elapsed() < Duration::from_secs(8) {
        iterations += 1;
        let mut child = spawn_scan(dir.path(), "8");
        std::thread::sleep(Duration::from_millis(rng.below(400)));
        if child.try_wait().expect("try_wait").is_none() {
            killed_running += 1;
        } else {
            completed += 1;
        }
        // SIGKILL (std's kill sends SIGKILL on Unix).
        let _ = child.kill();
        let _ = child.wait();
        let runs = verify(&db);
        assert!(runs >= 1, "the first run is still there");
    }
    assert!(killed_running > 0, "no child was killed while running");
    // The database still takes new runs after all that.
    let report = scan_json(dir.path(), &[]);
    assert!(report["findings"][0]["id"].is_string());
    let runs = verify(&db);
    assert!(runs >= 2, "{runs} runs");
    eprintln!(
        "{iterations} iterations: {killed_running} killed while running, {completed} completed; \
         {runs} runs stored; {:?}",
        started.elapsed()
    );
}
