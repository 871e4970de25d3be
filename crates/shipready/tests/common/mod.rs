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
    let mut child = Command::new(env!("CARGO_BIN_EXE_shipready"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn shipready");
    let started = Instant::now();
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("wait");
            panic!(
                "shipready {args:?} did not finish within {limit:?}\nstderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("wait")
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
