//! The history store on its own: migrations, refusals, damaged files, risk ids.

use shipready_history::{
    HistoryError, Register, SCHEMA_VERSION, Store, format_risk_id, parse_risk_id,
};

fn db_in(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join(".shipready/history.db")
}

#[test]
fn migrations_are_applied_once_and_wal_is_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = db_in(&dir);
    drop(Store::open(&path, true).expect("create"));
    drop(Store::open(&path, true).expect("reopen"));
    let store = Store::open(&path, false).expect("open existing");
    assert_eq!(store.verify().expect("verify"), 0);
    drop(store);
    let conn = rusqlite::Connection::open(&path).expect("open");
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, SCHEMA_VERSION);
    let applied: u32 = conn
        .query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))
        .expect("migrations");
    assert_eq!(applied, SCHEMA_VERSION);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
}

#[test]
fn missing_database_is_not_created_by_readers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = db_in(&dir);
    let e = Store::open(&path, false).err().expect("missing");
    assert!(matches!(e, HistoryError::Missing { .. }));
    assert!(!path.exists());
}

#[test]
fn newer_schema_is_refused_without_writing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("h.db");
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 7;")
            .expect("setup");
    }
    let before = std::fs::read(&path).expect("read");
    let e = Store::open(&path, true).err().expect("refused");
    assert!(matches!(e, HistoryError::Newer { found: 7, .. }), "{e}");
    assert!(e.to_string().contains("newer shipready"), "{e}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert!(!dir.path().join("h.db-wal").exists());
}

#[test]
fn foreign_and_damaged_files_are_refused_with_a_way_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let foreign = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&foreign).expect("open");
        conn.execute_batch("CREATE TABLE t (x);").expect("setup");
    }
    let e = Store::open(&foreign, true).err().expect("foreign");
    assert!(matches!(e, HistoryError::Foreign { .. }), "{e}");

    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![0x5a; 8192]).expect("write");
    let e = Store::open(&garbage, true).err().expect("garbage");
    assert!(matches!(e, HistoryError::Damaged { .. }), "{e}");
    let message = e.to_string();
    assert!(
        message.contains("--db") && message.contains("delete it"),
        "{message}"
    );

    // A valid database cut in the middle.
    let good = dir.path().join("good.db");
    drop(Store::open(&good, true).expect("create"));
    {
        let conn = rusqlite::Connection::open(&good).expect("open");
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpoint");
    }
    let bytes = std::fs::read(&good).expect("read");
    let cut = dir.path().join("cut.db");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).expect("write");
    let e = Store::open(&cut, true).err().expect("truncated");
    assert!(matches!(e, HistoryError::Damaged { .. }), "{e}");
}

#[test]
fn risk_ids_parse_and_format() {
    assert_eq!(format_risk_id(4), "RISK-004");
    assert_eq!(format_risk_id(1234), "RISK-1234");
    assert_eq!(parse_risk_id("RISK-004"), Some(4));
    assert_eq!(parse_risk_id("risk-12"), Some(12));
    assert_eq!(parse_risk_id("7"), Some(7));
    for bad in ["", "RISK-", "RISK-0", "RISK-1a", "ISSUE-3", "-3"] {
        assert_eq!(parse_risk_id(bad), None, "{bad}");
    }
}

#[test]
fn register_acceptances_become_waivers_of_their_fingerprint() {
    let text = "[risks.RISK-002]\nrule = \"SEC005\"\nfingerprint = \"abc123abc123abc123\"\npath = \"a.js\"\ntitle = \"t\"\naccepted_reason = \"rotating\"\naccepted_until = \"2026-02-01\"\n\n[risks.RISK-003]\nrule = \"REL001\"\nfingerprint = \"def\"\npath = \"b.js\"\ntitle = \"t\"\nowner = \"ops\"\n";
    let r = Register::parse(text, ".shipready/register.toml").expect("parse");
    let w = r.waivers(".shipready/register.toml");
    assert_eq!(w.len(), 1, "only acceptances waive");
    assert_eq!(w[0].rule, "SEC005");
    assert_eq!(w[0].fingerprint.as_deref(), Some("abc123abc123abc123"));
    assert_eq!(w[0].line, 1);
    assert_eq!(
        w[0].expires.map(|d| d.to_string()).as_deref(),
        Some("2026-02-01")
    );
    assert!(w[0].reason.starts_with("RISK-002: "));
    // Half an acceptance is an error with the entry's line.
    let e = Register::parse(
        "\n[risks.RISK-002]\nrule = \"SEC005\"\naccepted_reason = \"x\"\n",
        "r.toml",
    )
    .expect_err("incomplete");
    assert_eq!(e.line, 2, "{e}");
}
