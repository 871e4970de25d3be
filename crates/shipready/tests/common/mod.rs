//! Helpers for running the built binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The demo repository.
pub fn demo() -> PathBuf {
    workspace().join("examples/shop")
}

/// Runs shipready with `args`, killing it after `limit` (a hang fails the test).
pub fn run(args: &[&str], limit: Duration) -> Output {
    run_env(args, &[], limit)
}

/// Runs shipready with `args` and extra environment variables.
pub fn run_env(args: &[&str], envs: &[(&str, &str)], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_shipready"))
        .args(args)
        // Scans of shared fixtures must not write run history (tests/history.rs turns it on).
        .env("SHIPREADY_NO_HISTORY", "1")
        .env("SHIPREADY_NO_CACHE", "1")
        .envs(envs.iter().copied())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn shipready");
    // Drain both pipes while waiting: a report larger than the pipe buffer must not block.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out_reader = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    );
    let err_reader = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let stderr = err_reader.join().unwrap_or_default();
            panic!(
                "shipready {args:?} did not finish within {limit:?}\nstderr: {}",
                String::from_utf8_lossy(&stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    }
}

/// Runs a JSON scan of `path` and parses it.
pub fn scan_json(path: &Path, extra: &[&str]) -> (serde_json::Value, Output) {
    let p = path.to_string_lossy().to_string();
    let mut args = vec!["scan", p.as_str(), "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(&args, Duration::from_mins(2));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (value, out)
}

/// The JSON with its timing removed (the only non-deterministic part).
pub fn without_timing(mut v: serde_json::Value) -> serde_json::Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("timing");
    }
    v
}

/// Writes `text` to `rel` under `dir`, creating folders.
pub fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Findings of a scan of the demo as (rule, path, line), sorted.
pub fn demo_findings() -> std::collections::BTreeSet<(String, String, u64)> {
    let (v, out) = scan_json(&demo(), &[]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["location"]["path"].as_str().unwrap_or("").to_string(),
                f["location"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// Asserts that the demo's findings of `rules` are exactly `expected` (rule, path, line):
/// every planted case found, and nothing else from these rules (which covers the negatives).
pub fn assert_demo_findings_exactly(rules: &[&str], expected: &[(&str, &str, u64)]) {
    let got: std::collections::BTreeSet<(String, String, u64)> = demo_findings()
        .into_iter()
        .filter(|(r, _, _)| rules.contains(&r.as_str()))
        .collect();
    let want: std::collections::BTreeSet<(String, String, u64)> = expected
        .iter()
        .map(|(r, p, l)| ((*r).to_string(), (*p).to_string(), *l))
        .collect();
    assert_eq!(got, want);
}

/// Asserts that `found` holds every `expected` (rule, path, line) and none of `not_expected`.
pub fn assert_listed(
    found: &std::collections::BTreeSet<(String, String, u64)>,
    expected: &[(&str, &str, u64)],
    not_expected: &[(&str, &str, u64)],
) {
    for (rule, path, line) in expected {
        assert!(
            found.contains(&((*rule).to_string(), (*path).to_string(), *line)),
            "{rule} expected at {path}:{line}"
        );
    }
    for (rule, path, line) in not_expected {
        assert!(
            !found.contains(&((*rule).to_string(), (*path).to_string(), *line)),
            "{rule} must not fire at {path}:{line}"
        );
    }
}
