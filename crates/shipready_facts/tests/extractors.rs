//! Extractor fixtures: each folder under `tests/fixtures/<lang>/<case>/` is a tiny repository;
//! its facts are snapshotted in `facts.snap` beside the inputs. Read a changed snapshot before
//! accepting it (`INSTA_UPDATE=always` or `cargo insta review`).

use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};

fn cases(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(langs) = std::fs::read_dir(root) else {
        return out;
    };
    for lang in langs.flatten() {
        let Ok(entries) = std::fs::read_dir(lang.path()) else {
            continue;
        };
        for case in entries.flatten() {
            if case.path().is_dir() {
                out.push(case.path());
            }
        }
    }
    out.sort();
    out
}

fn run(dir: &Path) {
    let project = shipready_facts::testing::project_of(dir);
    let json = shipready_facts::testing::facts_json(&project);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("facts", json));
}

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let trials = cases(&root)
        .into_iter()
        .map(|dir| {
            let name = dir
                .strip_prefix(&root)
                .unwrap_or(&dir)
                .display()
                .to_string();
            Trial::test(name, move || {
                run(&dir);
                Ok::<(), Failed>(())
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
