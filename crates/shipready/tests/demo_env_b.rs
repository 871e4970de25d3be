//! CFG001 on the demo (`examples/shop.risks.md`), the late-failure side: each planted read
//! fires with the client it is handed to, and the reads that fail or are settled at boot stay
//! silent (a read of the worker's pydantic settings, `open(...)`-style reads, reads with
//! defaults).

mod common;

use std::collections::BTreeSet;

/// The CFG001 findings of the demo: (path, line, message, related locations).
fn cfg001() -> Vec<(String, u64, String, Vec<String>)> {
    let (v, _) = common::scan_json(&common::demo(), &["--no-history"]);
    let mut out = Vec::new();
    for f in v["findings"].as_array().into_iter().flatten() {
        if f["rule"] != "CFG001" {
            continue;
        }
        let related = f["related"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| format!("{}:{}", r["path"].as_str().unwrap_or(""), r["line"]))
            .collect();
        out.push((
            f["location"]["path"].as_str().unwrap_or("").to_string(),
            f["location"]["line"].as_u64().unwrap_or(0),
            f["message"].as_str().unwrap_or("").to_string(),
            related,
        ));
    }
    out
}

#[test]
fn late_failing_reads_fire_with_their_client() {
    let found = cfg001();
    let at: BTreeSet<(String, u64)> = found.iter().map(|(p, l, _, _)| (p.clone(), *l)).collect();
    let want: BTreeSet<(String, u64)> = [
        ("api/src/db.ts", 3),
        ("api/src/config.ts", 7),
        ("worker/app/settings.py", 11),
        ("worker/app/settings.py", 13),
        ("inventory/cmd/inventory/main.go", 25),
    ]
    .iter()
    .map(|(p, l)| ((*p).to_string(), *l))
    .collect();
    assert_eq!(at, want, "CFG001 findings on the demo: {found:#?}");

    // Both sides: the lazy client the value is handed to is named and shown.
    let pool = found
        .iter()
        .find(|(p, _, _, _)| p == "api/src/db.ts")
        .expect("db.ts finding");
    assert!(pool.2.contains("`new Pool`"), "{}", pool.2);
    assert!(
        pool.3.iter().any(|r| r == "api/src/db.ts:3"),
        "{:?}",
        pool.3
    );
    let open = found
        .iter()
        .find(|(p, _, _, _)| p.ends_with("main.go"))
        .expect("main.go finding");
    assert!(open.2.contains("`sql.Open`"), "{}", open.2);
}

#[test]
fn reads_settled_at_boot_stay_silent() {
    // Negatives: the worker's pydantic `Settings` fields, `JWT_SECRET`/`REDIS_HOST` (defaults),
    // the notifications service (`SMTP_HOST` has a default) and the inventory key read through
    // `getenv(..., fallback)`.
    let found = cfg001();
    for (path, line, message, _) in &found {
        assert!(
            !path.starts_with("notifications/") && !path.ends_with("worker/app/db.py"),
            "unexpected CFG001 at {path}:{line}: {message}"
        );
        for silent in [
            "JWT_SECRET",
            "REDIS_HOST",
            "SMTP_HOST",
            "REDIS_ADDR",
            "CATALOG_URL",
        ] {
            assert!(
                !message.contains(&format!("`{silent}`")),
                "{silent} reported at {path}:{line}"
            );
        }
    }
}
