//! CI pipelines: GitHub Actions workflows and `.gitlab-ci.yml`, read into jobs and steps, each
//! step classified by what it runs ([`classify`]): `npm run lint` counts as lint only through
//! the `lint` script of the `package.json` in the step's working directory (resolved after
//! all files are read, in [`super::project::resolve_ci`]), `pytest` as tests, `docker build`
//! as a build, `kubectl apply` as a deploy. Step names are never used.

use shipready_model::{CiJob, CiPipeline, CiStep, Facts, Span};
use shipready_syntax::config::{Doc, NodeRef};

use crate::FileCtx;

/// How deep npm scripts calling other scripts are followed.
const MAX_SCRIPT_DEPTH: u32 = 4;

/// Which CI provider a path belongs to, when it is a pipeline file.
pub(crate) fn provider_of(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    let name = super::file_name(path);
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    if yaml
        && (lower.starts_with(".github/workflows/") || lower.contains("/.github/workflows/"))
        && !lower.contains("/.github/workflows/templates/")
    {
        return Some("github-actions");
    }
    Some(match name.as_str() {
        ".gitlab-ci.yml" | ".gitlab-ci.yaml" => "gitlab-ci",
        "bitbucket-pipelines.yml" => "bitbucket",
        "azure-pipelines.yml" | "azure-pipelines.yaml" => "azure-pipelines",
        ".travis.yml" => "travis",
        ".drone.yml" => "drone",
        "cloudbuild.yaml" | "cloudbuild.yml" => "cloud-build",
        "config.yml" if lower.ends_with(".circleci/config.yml") => "circleci",
        _ if lower.starts_with(".woodpecker") || lower.starts_with(".buildkite/") => "other-ci",
        _ => return None,
    })
}

fn span(cx: &FileCtx<'_>, r: (u32, u32)) -> Span {
    cx.span_of(r.0 as usize, r.1 as usize)
}

fn strings(node: Option<NodeRef<'_>>) -> Vec<String> {
    let Some(n) = node else {
        return Vec::new();
    };
    if let Some(s) = n.as_str() {
        return vec![s.to_string()];
    }
    n.seq()
        .filter_map(|i| {
            i.as_str()
                .map(str::to_string)
                .or_else(|| i.str_at(&["job"]).map(str::to_string))
        })
        .collect()
}

/// Emits a [`CiPipeline`] for a CI file.
pub(super) fn extract(cx: &FileCtx<'_>, provider: &'static str, doc: &Doc, out: &mut Facts) {
    let Some(root) = doc.root(0) else {
        return;
    };
    let first = root
        .entries()
        .next()
        .map_or((0, 0), |(_, key_span, _)| key_span);
    let mut pipeline = CiPipeline {
        span: span(cx, first),
        provider: provider.to_string(),
        name: root.str_at(&["name"]).map(str::to_string),
        triggers: Vec::new(),
        jobs: Vec::new(),
    };
    match provider {
        "github-actions" => github(cx, &root, &mut pipeline),
        "gitlab-ci" => gitlab(cx, &root, &mut pipeline),
        _ => {}
    }
    out.ci_pipelines.push(pipeline);
}

fn github(cx: &FileCtx<'_>, root: &NodeRef<'_>, p: &mut CiPipeline) {
    // `on:` (YAML 1.1 readers turn a bare `on` into `true`; this parser keeps the key text).
    if let Some(on) = root.get("on").or_else(|| root.get("true")) {
        p.triggers = if on.is_map() {
            on.entries().map(|(k, _, _)| k.to_string()).collect()
        } else {
            strings(Some(on))
        };
    }
    let default_wd = root
        .str_at(&["defaults", "run", "working-directory"])
        .map(str::to_string);
    let Some(jobs) = root.get("jobs") else {
        return;
    };
    for (name, key_span, job) in jobs.entries() {
        if name.is_empty() || !job.is_map() {
            continue;
        }
        let wd = job
            .str_at(&["defaults", "run", "working-directory"])
            .map(str::to_string)
            .or_else(|| default_wd.clone());
        let environment = job.get("environment").and_then(|e| {
            e.as_str()
                .map(str::to_string)
                .or_else(|| e.str_at(&["name"]).map(str::to_string))
        });
        let steps = job
            .get("steps")
            .into_iter()
            .flat_map(|s| s.seq())
            .filter(NodeRef::is_map)
            .map(|s| {
                let run = s.str_at(&["run"]).map(str::to_string);
                let uses = s.str_at(&["uses"]).map(str::to_string);
                let working_directory = s
                    .str_at(&["working-directory"])
                    .map(str::to_string)
                    .or_else(|| wd.clone());
                let with_args = s
                    .get("with")
                    .map(|w| {
                        w.entries()
                            .filter_map(|(k, _, v)| v.as_str().map(|v| format!("{k}={v}")))
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .unwrap_or_default();
                let mut kinds = Vec::new();
                if let Some(r) = &run {
                    kinds = classify(r, &|_, _| None);
                }
                if let Some(u) = &uses {
                    merge(&mut kinds, &classify_action(u, &with_args));
                }
                CiStep {
                    span: span(cx, s.span()),
                    name: s.str_at(&["name"]).map(str::to_string),
                    uses_span: s
                        .get("uses")
                        .map(|u| span(cx, (u.anchor_span().0, u.span().1))),
                    uses,
                    run,
                    working_directory,
                    kinds,
                }
            })
            .collect();
        p.jobs.push(CiJob {
            span: span(cx, key_span),
            name: name.to_string(),
            needs: strings(job.get("needs")),
            environment,
            manual: false,
            uses: job.str_at(&["uses"]).map(str::to_string),
            steps,
        });
    }
}

const GITLAB_RESERVED: &[&str] = &[
    "stages",
    "variables",
    "default",
    "include",
    "workflow",
    "image",
    "services",
    "before_script",
    "after_script",
    "cache",
];

fn gitlab(cx: &FileCtx<'_>, root: &NodeRef<'_>, p: &mut CiPipeline) {
    let stages: Vec<String> = match root.get("stages") {
        Some(s) => strings(Some(s)),
        None => ["build", "test", "deploy"].map(String::from).to_vec(),
    };
    let global_before: Option<NodeRef<'_>> = root
        .get("before_script")
        .or_else(|| root.path(&["default", "before_script"]));
    let mut jobs: Vec<(CiJob, usize)> = Vec::new();
    for (name, key_span, job) in root.entries() {
        if name.is_empty()
            || name.starts_with('.')
            || GITLAB_RESERVED.contains(&name)
            || !job.is_map()
            || (job.get("script").is_none() && job.get("trigger").is_none())
        {
            continue;
        }
        let stage = job.str_at(&["stage"]).unwrap_or("test");
        let stage_index = stages.iter().position(|s| s == stage).unwrap_or(0);
        let mut steps = Vec::new();
        let before = job.get("before_script").or(global_before);
        for key_node in [before, job.get("script"), job.get("after_script")]
            .into_iter()
            .flatten()
        {
            let lines: Vec<NodeRef<'_>> = if key_node.is_seq() {
                key_node.seq().collect()
            } else {
                vec![key_node]
            };
            for line in lines {
                let Some(text) = line.as_str() else { continue };
                steps.push(CiStep {
                    span: span(cx, line.span()),
                    name: None,
                    uses: None,
                    uses_span: None,
                    run: Some(text.to_string()),
                    working_directory: None,
                    kinds: classify(text, &|_, _| None),
                });
            }
        }
        let when_manual = job.str_at(&["when"]) == Some("manual")
            || job
                .get("rules")
                .into_iter()
                .flat_map(|r| r.seq())
                .any(|r| r.str_at(&["when"]) == Some("manual"));
        let environment = job.get("environment").and_then(|e| {
            e.as_str()
                .map(str::to_string)
                .or_else(|| e.str_at(&["name"]).map(str::to_string))
        });
        jobs.push((
            CiJob {
                span: span(cx, key_span),
                name: name.to_string(),
                needs: strings(job.get("needs")),
                environment,
                manual: when_manual,
                uses: job
                    .get("extends")
                    .and_then(|e| strings(Some(e)).into_iter().next()),
                steps,
            },
            stage_index,
        ));
    }
    // Without `needs`, a GitLab job waits for every job of the earlier stages.
    let by_stage: Vec<(String, usize)> = jobs.iter().map(|(j, s)| (j.name.clone(), *s)).collect();
    for (job, stage) in &mut jobs {
        if job.needs.is_empty() {
            job.needs = by_stage
                .iter()
                .filter(|(_, s)| s < stage)
                .map(|(n, _)| n.clone())
                .collect();
        }
    }
    p.jobs = jobs.into_iter().map(|(j, _)| j).collect();
}

fn merge(into: &mut Vec<String>, more: &[String]) {
    for k in more {
        if !into.contains(k) {
            into.push(k.clone());
        }
    }
}

fn push(kinds: &mut Vec<String>, k: &str) {
    if !kinds.iter().any(|x| x == k) {
        kinds.push(k.to_string());
    }
}

/// Kinds of a `uses:` action.
pub(crate) fn classify_action(uses: &str, with_args: &str) -> Vec<String> {
    let lower = uses.to_ascii_lowercase();
    let action = lower.split('@').next().unwrap_or("");
    let mut k = Vec::new();
    let has = |s: &str| action.contains(s);
    if has("golangci-lint")
        || has("super-linter")
        || has("ruff-action")
        || has("eslint")
        || has("reviewdog/")
        || has("pre-commit/action")
        || has("hadolint")
    {
        push(&mut k, "lint");
    }
    if has("trivy")
        || has("snyk/")
        || has("codeql-action")
        || has("dependency-review-action")
        || has("pip-audit")
        || has("govulncheck")
        || has("anchore/scan-action")
        || has("osv-scanner")
        || has("grype")
        || has("audit")
    {
        push(&mut k, "audit");
    }
    if has("codecov") || has("coveralls") || has("coverage") {
        push(&mut k, "coverage");
    }
    if has("cypress-io/github-action") {
        push(&mut k, "test");
    }
    if has("build-push-action") || has("goreleaser") || has("kaniko") {
        push(&mut k, "build");
    }
    if has("npm-install") || (has("setup-node") && with_args.contains("cache=")) {
        // setup-node with a cache does not install; only bahmutov/npm-install does.
        if has("npm-install") {
            push(&mut k, "install");
        }
    }
    // A throwaway cluster on the runner (kind, k3d, minikube): what the job deploys there is a test.
    let local_cluster =
        has("/kind-action") || has("k3d-action") || has("minikube") || has("setup-k3d");
    if local_cluster {
        push(&mut k, "local-cluster");
    }
    // Installers of a CLI (`azure/setup-helm`) and chart tooling deploy nothing.
    let tooling = local_cluster || has("setup-") || has("chart-testing") || has("chart-releaser");
    let pages = has("deploy-pages") || has("gh-pages") || has("pages-deploy");
    if !pages
        && !tooling
        && (has("deploy")
            || has("k8s-deploy")
            || has("flyctl")
            || has("vercel-action")
            || has("heroku")
            || has("helm"))
        && !has("deploy-key")
    {
        push(&mut k, "deploy");
    }
    if has("rollback") {
        push(&mut k, "rollback");
    }
    k
}

/// Resolves an npm-style script: `(working directory, script name)` to its command.
pub(crate) type ScriptResolver<'a> = dyn Fn(&str, &str) -> Option<String> + 'a;

/// Classifies shell text by the commands it runs. `resolve` looks up package.json scripts
/// (given the working directory reached by `cd` and the script name).
pub(crate) fn classify(run: &str, resolve: &ScriptResolver<'_>) -> Vec<String> {
    let mut kinds = Vec::new();
    classify_in("", run, resolve, 0, &mut kinds);
    kinds
}

/// Splits shell text into simple commands (lines, `&&`, `||`, `;`, `|`).
fn commands(run: &str) -> Vec<String> {
    let joined = run.replace("\\\n", " ");
    let mut out = Vec::new();
    for line in joined.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        for part in line.split("&&").flat_map(|p| p.split("||")) {
            for piece in part.split(';').flat_map(|p| p.split('|')) {
                let piece = piece.trim();
                if !piece.is_empty() {
                    out.push(piece.to_string());
                }
            }
        }
    }
    out
}

fn classify_in(
    start_dir: &str,
    run: &str,
    resolve: &ScriptResolver<'_>,
    depth: u32,
    kinds: &mut Vec<String>,
) {
    let mut dir = start_dir.to_string();
    for cmd in commands(run) {
        let words: Vec<&str> = cmd.split_whitespace().collect();
        // Leading env assignments and wrappers.
        let mut i = 0;
        while i < words.len()
            && (words[i].contains('=') && !words[i].starts_with('-')
                || matches!(
                    words[i],
                    "sudo" | "time" | "exec" | "env" | "npx" | "bunx" | "pnpx" | "dotenv" | "--"
                ))
        {
            i += 1;
        }
        let w: Vec<&str> = words[i..].to_vec();
        let Some(&head) = w.first() else { continue };
        if head == "cd" {
            if let Some(d) = w.get(1) {
                dir = join_dir(&dir, d);
            }
            continue;
        }
        classify_command(&dir, &w, resolve, depth, kinds);
    }
}

fn join_dir(base: &str, d: &str) -> String {
    let d = d.trim_matches(|c| c == '"' || c == '\'');
    if d.starts_with('$') || d.starts_with('/') || d.starts_with('~') {
        return base.to_string();
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for p in d.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(p),
        }
    }
    parts.join("/")
}

/// Kinds implied by a script or task name (`lint`, `test:unit`, `type-check`), used when the
/// script body cannot be seen (turbo/nx tasks, Makefile targets).
fn kinds_of_task_name(name: &str, kinds: &mut Vec<String>) {
    let n = name.to_ascii_lowercase();
    let n = n.trim_matches(|c| c == '"' || c == '\'');
    if n.starts_with("lint") || n.ends_with(":lint") || n == "eslint" {
        push(kinds, "lint");
    }
    if n.starts_with("typecheck")
        || n.starts_with("type-check")
        || n.starts_with("types")
        || n == "tsc"
        || n.starts_with("check-types")
    {
        push(kinds, "typecheck");
    }
    let parts_test = n
        .split(['-', '_', ':'])
        .any(|p| p.starts_with("test") || p.ends_with("testing") || p.ends_with("tests"));
    if parts_test || n == "e2e" {
        push(kinds, "test");
    }
    if n.contains("coverage") || n.starts_with("cov") {
        push(kinds, "coverage");
    }
    if n.starts_with("build") {
        push(kinds, "build");
    }
    if n.starts_with("audit") {
        push(kinds, "audit");
    }
}

#[allow(clippy::too_many_lines)]
fn classify_command(
    dir: &str,
    w: &[&str],
    resolve: &ScriptResolver<'_>,
    depth: u32,
    kinds: &mut Vec<String>,
) {
    let head = w[0].rsplit('/').next().unwrap_or(w[0]);
    let arg = |i: usize| w.get(i).copied().unwrap_or("");
    let has_arg = |a: &str| w.iter().any(|x| *x == a || x.starts_with(&format!("{a}=")));
    let text = w.join(" ");
    if text.contains("--coverage")
        || text.contains("--cov")
        || text.contains("-coverprofile")
        || text.contains("-cover ")
        || text.ends_with("-cover")
    {
        push(kinds, "coverage");
    }
    match head {
        "npm" | "pnpm" | "yarn" | "bun" => {
            let mut args: Vec<&str> = w[1..].to_vec();
            // `--prefix dir`, `-C dir`, `--cwd dir`, `-w pkg`, `--filter pkg`.
            let mut sub_dir = dir.to_string();
            let mut j = 0;
            while j < args.len() {
                if matches!(args[j], "--prefix" | "-C" | "--cwd" | "--dir") && j + 1 < args.len() {
                    sub_dir = join_dir(dir, args[j + 1]);
                    args.drain(j..j + 2);
                } else if matches!(args[j], "-w" | "--workspace" | "--filter" | "-F")
                    && j + 1 < args.len()
                {
                    args.drain(j..j + 2);
                } else {
                    j += 1;
                }
            }
            let args: Vec<&str> = args.into_iter().filter(|a| !a.starts_with('-')).collect();
            let sub = args
                .first()
                .copied()
                .unwrap_or(if head == "yarn" { "install" } else { "" });
            match sub {
                "ci" | "install" | "i" | "add" => push(kinds, "install"),
                "audit" => push(kinds, "audit"),
                sub if !matches!(sub, "" | "publish" | "version" | "pack" | "login") => {
                    let script = if matches!(sub, "run" | "run-script") {
                        args.get(1).copied().unwrap_or("")
                    } else if matches!(sub, "exec" | "x" | "dlx") {
                        // A binary: classify it as a command.
                        if args.len() > 1 {
                            classify_command(&sub_dir, &args[1..], resolve, depth, kinds);
                        }
                        return;
                    } else if sub == "t" {
                        "test"
                    } else {
                        sub
                    };
                    if script.is_empty() {
                        return;
                    }
                    if let Some(body) = (depth < MAX_SCRIPT_DEPTH)
                        .then(|| resolve(&sub_dir, script))
                        .flatten()
                    {
                        classify_in(&sub_dir, &body, resolve, depth + 1, kinds);
                    } else {
                        // Binaries run through yarn/pnpm (`yarn eslint .`).
                        let before = kinds.len();
                        classify_command(&sub_dir, &args, resolve, MAX_SCRIPT_DEPTH, kinds);
                        if kinds.len() == before {
                            kinds_of_task_name(script, kinds);
                        }
                    }
                }
                _ => {}
            }
        }
        "turbo" | "nx" | "lerna" => {
            for a in &w[1..] {
                if !a.starts_with('-') && !matches!(*a, "run" | "run-many" | "affected") {
                    for t in a.split(',') {
                        kinds_of_task_name(t, kinds);
                    }
                }
            }
        }
        "make" | "just" | "task" | "mage" => {
            for a in &w[1..] {
                if !a.starts_with('-') && !a.contains('=') {
                    kinds_of_task_name(a, kinds);
                }
            }
        }
        "pip" | "pip3" | "poetry" | "pipenv" | "uv" | "pdm" | "conda" | "bundle" => {
            if matches!(arg(1), "install" | "sync" | "add") {
                push(kinds, "install");
            }
            if arg(1) == "run" && w.len() > 2 {
                classify_command(dir, &w[2..], resolve, depth, kinds);
            }
            if (head == "uv" && arg(1) == "pip" && arg(2) == "install")
                || (head == "poetry" && arg(1) == "build")
            {
                push(
                    kinds,
                    if arg(1) == "build" {
                        "build"
                    } else {
                        "install"
                    },
                );
            }
        }
        "python" | "python3" => {
            if arg(1) == "-m" {
                classify_command(dir, &w[2..], resolve, depth, kinds);
            } else if arg(1).ends_with("manage.py") && arg(2) == "test" {
                push(kinds, "test");
            } else if arg(1).ends_with("manage.py") && arg(2) == "migrate" {
                push(kinds, "migrate");
            }
        }
        "pytest" | "py.test" | "unittest" | "tox" | "nox" | "jest" | "vitest" | "mocha" | "ava"
        | "tap" | "karma" | "cypress" | "playwright" | "behave" | "nosetests" => {
            if head == "tox" || head == "nox" {
                if text.contains("lint") {
                    push(kinds, "lint");
                }
                if text.contains("type") || text.contains("mypy") {
                    push(kinds, "typecheck");
                }
            }
            push(kinds, "test");
            if head == "vitest" && arg(1) == "typecheck" {
                push(kinds, "typecheck");
            }
        }
        "coverage" => {
            push(kinds, "coverage");
            if arg(1) == "run" {
                push(kinds, "test");
            }
        }
        "c8" | "nyc" | "istanbul" => {
            push(kinds, "coverage");
            if w.len() > 1 {
                classify_command(dir, &w[1..], resolve, depth, kinds);
            }
        }
        "node" if arg(1) == "--test" => push(kinds, "test"),
        "go" => match arg(1) {
            "test" => {
                push(kinds, "test");
                push(kinds, "typecheck");
            }
            "vet" => {
                push(kinds, "lint");
                push(kinds, "typecheck");
            }
            "build" | "install" => {
                push(kinds, "build");
                push(kinds, "typecheck");
            }
            "mod" if arg(2) == "download" => push(kinds, "install"),
            "run" if text.contains("govulncheck") => push(kinds, "audit"),
            "run" if text.contains("golangci-lint") || text.contains("staticcheck") => {
                push(kinds, "lint");
            }
            _ => {}
        },
        "cargo" => match arg(1) {
            "test" | "nextest" => push(kinds, "test"),
            "clippy" | "fmt" => push(kinds, "lint"),
            "check" => push(kinds, "typecheck"),
            "build" => {
                push(kinds, "build");
                push(kinds, "typecheck");
            }
            "audit" | "deny" => push(kinds, "audit"),
            "tarpaulin" | "llvm-cov" => {
                push(kinds, "coverage");
                push(kinds, "test");
            }
            _ => {}
        },
        "eslint" | "ruff" | "flake8" | "pylint" | "golangci-lint" | "staticcheck" | "stylelint"
        | "tslint" | "biome" | "hadolint" | "shellcheck" | "black" | "isort" | "prettier"
        | "standard" | "xo" | "oxlint" | "pre-commit" | "rubocop" | "yamllint" => {
            if head != "prettier" || has_arg("--check") {
                push(kinds, "lint");
            }
        }
        "tsc" | "vue-tsc" | "mypy" | "pyright" | "basedpyright" | "pytype" => {
            push(kinds, "typecheck");
            if head == "tsc" && !has_arg("--noEmit") {
                push(kinds, "build");
            }
        }
        "pip-audit" | "safety" | "govulncheck" | "trivy" | "snyk" | "grype" | "osv-scanner"
        | "bandit" | "semgrep" | "audit-ci" | "better-npm-audit" | "retire" | "gosec" => {
            push(kinds, "audit");
        }
        "docker" | "podman" | "buildah" => {
            let sub = if arg(1) == "buildx" || arg(1) == "image" {
                arg(2)
            } else {
                arg(1)
            };
            match sub {
                "build" | "bake" => push(kinds, "build"),
                "compose" if text.contains(" build") => push(kinds, "build"),
                _ => {}
            }
        }
        "docker-compose" if arg(1) == "build" => push(kinds, "build"),
        "vite" | "next" | "webpack" | "rollup" | "esbuild" | "tsup" | "nest" | "ng" | "parcel"
        | "goreleaser" | "ko" => {
            if text.contains("build") || matches!(head, "webpack" | "rollup" | "esbuild" | "tsup") {
                push(kinds, "build");
            }
        }
        "kind" if arg(1) == "create" => push(kinds, "local-cluster"),
        "minikube" if arg(1) == "start" => push(kinds, "local-cluster"),
        "k3d" if arg(1) == "cluster" && arg(2) == "create" => push(kinds, "local-cluster"),
        "kubectl" | "oc" => match arg(1) {
            "apply" | "replace" | "create" | "set" => push(kinds, "deploy"),
            "rollout" if arg(2) == "status" => push(kinds, "smoke"),
            "wait" => push(kinds, "smoke"),
            "rollout" if arg(2) == "undo" => push(kinds, "rollback"),
            "rollout" => push(kinds, "deploy"),
            _ => {}
        },
        "helm" | "helmfile" => match arg(1) {
            "upgrade" | "install" | "apply" | "sync" => {
                push(kinds, "deploy");
                if has_arg("--atomic") || has_arg("--rollback-on-failure") {
                    push(kinds, "rollback");
                }
                if has_arg("--wait") || has_arg("--atomic") {
                    push(kinds, "smoke");
                }
            }
            "rollback" => push(kinds, "rollback"),
            _ => {}
        },
        "kustomize" | "skaffold" | "argocd" | "flux" => {
            if text.contains("deploy") || text.contains("run") || text.contains("sync") {
                push(kinds, "deploy");
            }
        }
        "flyctl" | "fly" | "vercel" | "netlify" | "railway" | "serverless" | "sls" | "cdk"
        | "eb" | "firebase" | "heroku" | "wrangler" | "copilot" | "render" | "dokku" => {
            if text.contains("deploy")
                || text.contains(" up")
                || text.contains("--prod")
                || text.contains("publish")
                || text.contains("release")
            {
                push(kinds, "deploy");
            }
        }
        "gcloud" | "az" | "aws" => {
            if (text.contains(" deploy") && !text.contains("deployments list"))
                || text.contains("update-service")
                || text.contains("webapp up")
            {
                push(kinds, "deploy");
            }
        }
        "terraform" | "tofu" | "pulumi" if matches!(arg(1), "apply" | "up") => {
            push(kinds, "deploy");
        }
        "curl" | "wget" | "http" => {
            let l = text.to_ascii_lowercase();
            if ["health", "ready", "smoke", "status", "ping", "live"]
                .iter()
                .any(|k| l.contains(k))
            {
                push(kinds, "smoke");
            }
        }
        "alembic" if arg(1) == "upgrade" => push(kinds, "migrate"),
        "prisma" if arg(1) == "migrate" => push(kinds, "migrate"),
        "knex" | "sequelize" | "migrate" | "goose" | "dbmate" | "flyway" | "atlas"
            if text.contains("migrat") || matches!(head, "migrate" | "goose" | "dbmate") =>
        {
            push(kinds, "migrate");
        }
        _ => {
            let l = head.to_ascii_lowercase();
            if l.contains("smoke") || l.contains("wait-for") || l.contains("healthcheck") {
                push(kinds, "smoke");
            } else if l.contains("deploy")
                && !l.contains("gh-pages")
                && std::path::Path::new(&l)
                    .extension()
                    .is_none_or(|e| e.eq_ignore_ascii_case("sh"))
            {
                push(kinds, "deploy");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(run: &str) -> Vec<String> {
        let resolve = |dir: &str, name: &str| -> Option<String> {
            match (dir, name) {
                ("api", "lint") => Some("eslint . && npm run types".into()),
                ("api", "types") => Some("tsc --noEmit".into()),
                ("", "test") => Some("vitest run --coverage".into()),
                ("", "loop") => Some("npm run loop".into()),
                _ => None,
            }
        };
        let mut v = classify(run, &resolve);
        v.sort();
        v
    }

    #[test]
    fn classifies_by_what_runs() {
        assert_eq!(k("cd api && npm run lint"), ["lint", "typecheck"]);
        assert_eq!(k("npm test"), ["coverage", "test"]);
        assert_eq!(k("npm ci"), ["install"]);
        assert_eq!(k("npm run loop"), Vec::<String>::new());
        assert_eq!(k("npm run deploy-docs"), Vec::<String>::new());
        assert_eq!(
            k("pip install -r requirements.txt\npytest --cov=app --cov-fail-under=80"),
            ["coverage", "install", "test"]
        );
        assert_eq!(
            k("go test ./... -coverprofile=c.out"),
            ["coverage", "test", "typecheck"]
        );
        assert_eq!(k("docker build -t x . && docker push x"), ["build"]);
        assert_eq!(k("kubectl apply -f deploy/k8s"), ["deploy"]);
        assert_eq!(k("kind create cluster --name ci"), ["local-cluster"]);
        assert_eq!(k("minikube start"), ["local-cluster"]);
        assert_eq!(
            k("helm upgrade --install x chart --atomic"),
            ["deploy", "rollback", "smoke"]
        );
        assert_eq!(k("curl -fsS https://x/healthz"), ["smoke"]);
        assert_eq!(k("echo building"), Vec::<String>::new());
        assert_eq!(
            k("npx turbo run lint test build"),
            ["build", "lint", "test"]
        );
        assert_eq!(k("yarn"), ["install"]);
        assert_eq!(k("yarn eslint ."), ["lint"]);
    }

    #[test]
    fn actions() {
        assert_eq!(
            classify_action("some-org/deploy-action@main", ""),
            ["deploy"]
        );
        assert!(classify_action("actions/deploy-pages@v4", "").is_empty());
        assert_eq!(
            classify_action("aquasecurity/trivy-action@0.20.0", ""),
            ["audit"]
        );
        assert!(classify_action("actions/checkout@v4", "").is_empty());
        assert!(classify_action("azure/setup-helm@v4", "").is_empty());
        assert_eq!(
            classify_action("helm/kind-action@v1", ""),
            ["local-cluster"]
        );
        assert_eq!(classify_action("deliverybot/helm@v1", ""), ["deploy"]);
        assert_eq!(
            provider_of(".github/workflows/ci.yml"),
            Some("github-actions")
        );
        assert_eq!(provider_of(".gitlab-ci.yml"), Some("gitlab-ci"));
        assert_eq!(provider_of("deploy/app.yaml"), None);
    }
}
