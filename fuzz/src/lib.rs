//! Shared helpers of the fuzz targets: every target feeds the parser or extractor the scan
//! uses, then reads the result the way consumers do, so a panic anywhere on the way is found.

use shipready_model::Lang;
use shipready_syntax::config::{ConfigError, Doc, NodeRef};

/// Most nodes one target walks in a parsed config document (aliases are followed by the
/// accessors, so an alias bomb must not turn the walk itself exponential).
const MAX_VISITS: usize = 200_000;

/// The input as text, as the walker would hand it over (it skips invalid UTF-8).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Reads a parsed config document through every accessor, iteratively.
pub fn read_doc(doc: &Result<Doc, ConfigError>) {
    let Ok(doc) = doc else {
        return;
    };
    let mut stack: Vec<NodeRef<'_>> = doc.root_refs().collect();
    let mut visits = 0usize;
    while let Some(n) = stack.pop() {
        visits += 1;
        if visits > MAX_VISITS {
            return;
        }
        let _ = (n.kind(), n.span(), n.key_span(), n.anchor_span());
        let _ = (n.as_str(), n.as_bool(), n.is_null(), n.is_map(), n.is_seq());
        let _ = n.get("image");
        let _ = n.path(&["spec", "template", "spec", "containers"]);
        let _ = n.str_at(&["metadata", "name"]);
        stack.extend(n.seq());
        for (key, _, value) in n.entries() {
            let _ = key.len();
            stack.push(value);
        }
    }
}

/// Runs the per-file half of the scan (parse, extract, secrets, test scan) as a scan does.
pub fn extract(path: &str, data: &[u8]) {
    let Some(text) = text(data) else {
        return;
    };
    let Some(lang) = Lang::from_path(path) else {
        return;
    };
    let (facts, skipped) = shipready_facts::extract_text(path, lang, text);
    let _ = (facts.is_empty(), skipped);
}

/// Paths the pipeline target picks from with its first byte: one per extractor branch.
pub const PATHS: &[&str] = &[
    "src/server.ts",
    "src/App.tsx",
    "src/index.js",
    "src/page.jsx",
    "app/main.py",
    "cmd/api/main.go",
    "package.json",
    "tsconfig.json",
    "renovate.json",
    "data/seed.json",
    "deploy/k8s/deployment.yaml",
    "docker-compose.yml",
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
    ".github/dependabot.yml",
    "chart/templates/deploy.yaml",
    "pyproject.toml",
    "requirements.txt",
    "go.mod",
    "Dockerfile",
    ".env",
    "prisma/schema.prisma",
    "README.md",
    "docs/backup.md",
    "scripts/deploy.sh",
    "tests/test_api.py",
    "src/server.test.ts",
    "internal/api/handler_test.go",
    "setup.py",
    "jest.config.js",
    "vitest.config.ts",
    "config/app.conf",
];
