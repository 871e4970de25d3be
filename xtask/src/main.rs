//! `cargo xtask`: project chores. `docs` writes `docs/rules/` from rule metadata
//! (`docs --check` fails when they are stale).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use shipready_rules::{all_rules, docs};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn write_docs(check: bool) -> Result<(), String> {
    let dir = workspace_root().join("docs/rules");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut pages: Vec<(PathBuf, String)> = all_rules()
        .iter()
        .map(|r| {
            (
                dir.join(format!("{}.md", r.meta().slug)),
                docs::render_page(r.meta()),
            )
        })
        .collect();
    pages.push((dir.join("README.md"), docs::render_index(&all_rules())));
    let mut stale = Vec::new();
    for (path, text) in pages {
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == text {
            continue;
        }
        if check {
            stale.push(path.display().to_string());
        } else {
            std::fs::write(&path, text).map_err(|e| e.to_string())?;
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "stale doc pages (run `cargo xtask docs`): {}",
            stale.join(", ")
        ))
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("docs") => write_docs(args.iter().any(|a| a == "--check")),
        _ => Err("usage: cargo xtask docs [--check]".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
