//! A file's role (production source, test, script, doc) from its path.

use shipready_model::{FileRole, Lang};

const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "__test__",
    "spec",
    "specs",
    "__mocks__",
    "mocks",
    "fixtures",
    "__fixtures__",
    "testdata",
    "test_data",
    "e2e",
    "cypress",
    "playwright",
    "testing",
    "conftest",
];
const SCRIPT_DIRS: &[&str] = &[
    "scripts",
    "script",
    "tools",
    "hack",
    "examples",
    "example",
    "samples",
    "sample",
    "bench",
    "benches",
    "benchmarks",
    "seeds",
    "seed",
    "seeders",
    "demo",
    "demos",
    "playground",
    "stories",
    ".storybook",
    ".github",
    ".circleci",
    ".husky",
    ".devcontainer",
    "bin",
];
const DOC_DIRS: &[&str] = &["docs", "doc", "documentation"];

/// The role of a repository-relative path.
pub fn role_of(path: &str, lang: Lang) -> FileRole {
    if lang == Lang::Markdown {
        return FileRole::Doc;
    }
    let lower = path.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.split('/').collect();
    let name = parts.pop().unwrap_or("");
    let stem_parts: Vec<&str> = name.split('.').collect();
    let is_test_name = stem_parts
        .iter()
        .skip(1)
        .any(|p| matches!(*p, "test" | "spec" | "e2e" | "stories" | "story"))
        || name.starts_with("test_")
        || name.ends_with("_test.py")
        || name.ends_with("_test.go")
        || name == "conftest.py"
        || name.starts_with("jest.")
        || name.starts_with("vitest.")
        || name.starts_with("playwright.")
        || name.starts_with("cypress.");
    // Images for test runners (`Dockerfile.test`, `Dockerfile.playwright`, `e2e.Dockerfile`).
    let is_test_image = lang == Lang::Dockerfile
        && name.split(['.', '-', '_']).any(|p| {
            matches!(
                p,
                "test" | "tests" | "e2e" | "playwright" | "cypress" | "ci" | "dev" | "devcontainer"
            )
        });
    if is_test_name || is_test_image || parts.iter().any(|p| TEST_DIRS.contains(p)) {
        return FileRole::Test;
    }
    if parts.iter().any(|p| DOC_DIRS.contains(p)) && !lang.is_code() {
        return FileRole::Doc;
    }
    if parts.iter().any(|p| SCRIPT_DIRS.contains(p))
        || name.starts_with("seed.")
        || name.starts_with("seeds.")
        || name.contains(".seed.")
        || matches!(
            name,
            "setup.py" | "manage.py" | "noxfile.py" | "fabfile.py" | "gulpfile.js" | "gruntfile.js"
        )
        || name.ends_with(".config.js")
        || name.ends_with(".config.ts")
        || name.ends_with(".config.mjs")
        || name.ends_with(".config.cjs")
    {
        return FileRole::Script;
    }
    FileRole::Source
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles() {
        assert_eq!(
            role_of("api/src/server.ts", Lang::TypeScript),
            FileRole::Source
        );
        assert_eq!(
            role_of("api/src/server.test.ts", Lang::TypeScript),
            FileRole::Test
        );
        assert_eq!(role_of("api/tests/x.py", Lang::Python), FileRole::Test);
        assert_eq!(role_of("svc/main_test.go", Lang::Go), FileRole::Test);
        assert_eq!(
            role_of("scripts/seed.ts", Lang::TypeScript),
            FileRole::Script
        );
        assert_eq!(role_of("README.md", Lang::Markdown), FileRole::Doc);
        assert_eq!(
            role_of("vite.config.ts", Lang::TypeScript),
            FileRole::Script
        );
        assert_eq!(role_of("cmd/api/main.go", Lang::Go), FileRole::Source);
        assert_eq!(
            role_of("frontend/Dockerfile.playwright", Lang::Dockerfile),
            FileRole::Test
        );
        assert_eq!(
            role_of("api/Dockerfile", Lang::Dockerfile),
            FileRole::Source
        );
        assert_eq!(
            role_of("prisma/seed.ts", Lang::TypeScript),
            FileRole::Script
        );
        assert_eq!(
            role_of("bin/create-app.js", Lang::JavaScript),
            FileRole::Script
        );
    }
}
