//! Hostile input: the scan finishes (exit 0 or 1), lists every skip with its reason, never
//! panics, hangs, or reads outside the root.

mod common;

use std::io::Write;
use std::time::Duration;

fn write(dir: &std::path::Path, rel: &str, bytes: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, bytes).expect("write");
}

#[cfg(unix)]
#[test]
fn hostile_tree_is_scanned_safely() {
    use std::os::unix::fs::{PermissionsExt, symlink};

    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "package.json",
        br#"{"name":"hostile","dependencies":{"express":"^4.19.2"}}"#,
    );
    write(root, "src/ok.js", b"const express = require('express');\nconst app = express();\napp.use(require('cors')());\n");

    // 50 MB file (sparse: cheap to create).
    let big = std::fs::File::create(root.join("src/huge.js")).expect("create");
    big.set_len(50 * 1024 * 1024).expect("set_len");
    // Binary file with NUL bytes.
    write(root, "src/binary.py", b"print('x')\0\0\0\x01\x02");
    // Invalid UTF-8 source.
    write(root, "src/latin1.ts", b"const s = '\xff\xfe caf\xe9';\n");
    // Symlink loop, and a link to `/`.
    symlink("loop_b.js", root.join("src/loop_a.js")).expect("symlink");
    symlink("loop_a.js", root.join("src/loop_b.js")).expect("symlink");
    symlink("/", root.join("src/rootfs")).expect("symlink");
    symlink(".", root.join("src/self")).expect("symlink");
    // FIFO.
    let fifo = root.join("src/pipe.js");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    // File without read permission.
    write(root, "src/locked.ts", b"export const x = 1;\n");
    std::fs::set_permissions(
        root.join("src/locked.ts"),
        std::fs::Permissions::from_mode(0o000),
    )
    .expect("chmod");
    // 5,000-level nested JSON and YAML.
    let deep_json = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
    write(root, "config/deep.json", deep_json.as_bytes());
    let deep_obj = format!("{}1{}", "{\"a\":".repeat(5000), "}".repeat(5000));
    write(root, "config/deep-object.json", deep_obj.as_bytes());
    let deep_yaml = format!("a: {}1{}\n", "[".repeat(5000), "]".repeat(5000));
    write(root, "config/deep.yaml", deep_yaml.as_bytes());
    let mut block = String::new();
    for i in 0..5000 {
        block.push_str(&" ".repeat(i.min(200)));
        block.push_str("- \n");
    }
    write(root, "config/deep-block.yaml", block.as_bytes());
    // YAML alias bomb ("billion laughs").
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        bomb.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
    }
    write(root, "deploy/bomb.yaml", bomb.as_bytes());
    // 10 MB one-line minified JS, and a 1 MB one under the size cap.
    let mut f = std::fs::File::create(root.join("src/bundle.js")).expect("create");
    let chunk = "var a=function(b){return b+1};".repeat(1000);
    for _ in 0..(10 * 1024 * 1024 / chunk.len()) {
        f.write_all(chunk.as_bytes()).expect("write");
    }
    drop(f);
    write(
        root,
        "src/app.bundle.js",
        "x=1;".repeat(256 * 1024).as_bytes(),
    );

    let path = root.to_string_lossy().to_string();
    let out = common::run(&["scan", &path, "--format", "json"], Duration::from_mins(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}; stderr: {stderr}",
        out.status.code()
    );
    assert!(
        !stderr.contains("internal error") && !stderr.contains("panicked"),
        "{stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let skipped: Vec<(String, String)> = v["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap_or("").to_string(),
                s["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let reason_of = |p: &str| {
        skipped
            .iter()
            .find(|(path, _)| path == p)
            .map(|(_, r)| r.as_str())
    };
    assert_eq!(reason_of("src/huge.js"), Some("too-large"), "{skipped:?}");
    assert_eq!(reason_of("src/binary.py"), Some("binary"), "{skipped:?}");
    assert_eq!(
        reason_of("src/latin1.ts"),
        Some("invalid-utf8"),
        "{skipped:?}"
    );
    assert_eq!(reason_of("src/loop_a.js"), Some("symlink"), "{skipped:?}");
    assert_eq!(reason_of("src/loop_b.js"), Some("symlink"), "{skipped:?}");
    assert_eq!(reason_of("src/rootfs"), Some("symlink"), "{skipped:?}");
    assert_eq!(reason_of("src/self"), Some("symlink"), "{skipped:?}");
    assert_eq!(reason_of("src/pipe.js"), Some("not-a-file"), "{skipped:?}");
    assert_eq!(
        reason_of("config/deep.json"),
        Some("too-deep"),
        "{skipped:?}"
    );
    assert_eq!(
        reason_of("config/deep-object.json"),
        Some("too-deep"),
        "{skipped:?}"
    );
    assert_eq!(
        reason_of("config/deep.yaml"),
        Some("too-deep"),
        "{skipped:?}"
    );
    assert_eq!(reason_of("src/bundle.js"), Some("too-large"), "{skipped:?}");
    assert_eq!(
        reason_of("src/app.bundle.js"),
        Some("minified"),
        "{skipped:?}"
    );
    // Running as root, a mode-000 file is still readable; otherwise it must be listed.
    let locked_readable = std::fs::read(root.join("src/locked.ts")).is_ok();
    if !locked_readable {
        assert_eq!(
            reason_of("src/locked.ts"),
            Some("unreadable"),
            "{skipped:?}"
        );
    }
    // Nothing outside the root: no path goes through the links.
    for f in v["findings"].as_array().expect("findings") {
        let p = f["location"]["path"].as_str().unwrap_or("");
        assert!(
            !p.starts_with("src/rootfs/") && !p.starts_with("src/self/"),
            "{p}"
        );
    }
    for (p, _) in &skipped {
        assert!(
            !p.starts_with("src/rootfs/") && !p.starts_with("src/self/"),
            "{p}"
        );
    }
    // The one real finding still comes through.
    assert!(
        v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["rule"] == "SEC002")
    );
    // The bomb and the deep block YAML were read (or skipped with a reason), quickly.
    assert!(v["summary"]["files_scanned"].as_u64().unwrap_or(0) >= 3);
    std::fs::set_permissions(
        root.join("src/locked.ts"),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("chmod back");
}
