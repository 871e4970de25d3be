//! Dependency manifests: package.json, requirements*.txt, pyproject.toml (PEP 621, Poetry,
//! PEP 735 dependency groups) and go.mod.

use shipready_model::{Dependency, Facts, Span};
use shipready_syntax::config::{Doc, NodeRef};

use super::file_name;
use crate::FileCtx;

fn dep(span: Span, ecosystem: &str, name: &str, version: Option<&str>, dev: bool) -> Dependency {
    Dependency {
        span,
        ecosystem: ecosystem.to_string(),
        name: name.to_string(),
        version: version.map(str::to_string),
        dev,
    }
}

/// A span from a key to the end of its value when both sit on one line, else the key alone.
fn entry_span(cx: &FileCtx<'_>, key: (u32, u32), value: &NodeRef<'_>) -> Span {
    let (vs, ve) = value.span();
    let same_line = vs >= key.0
        && cx
            .text
            .get(key.0 as usize..ve as usize)
            .is_some_and(|t| !t.contains('\n'));
    if same_line {
        cx.span_of(key.0 as usize, ve as usize)
    } else {
        cx.span_of(key.0 as usize, key.1 as usize)
    }
}

/// `dependencies`, `devDependencies`, `peerDependencies` and `optionalDependencies`.
pub(super) fn package_json(cx: &FileCtx<'_>, doc: &Doc, out: &mut Facts) {
    let Some(root) = doc.root(0) else {
        return;
    };
    for (section, dev) in [
        ("dependencies", false),
        ("devDependencies", true),
        ("peerDependencies", false),
        ("optionalDependencies", false),
    ] {
        let Some(deps) = root.get(section) else {
            continue;
        };
        for (name, key_span, value) in deps.entries() {
            if name.is_empty() {
                continue;
            }
            let span = entry_span(cx, key_span, &value);
            out.dependencies
                .push(dep(span, "npm", name, value.as_str(), dev));
        }
    }
}

/// PEP 503 name normalisation: lower case, runs of `-`, `_`, `.` become one `-`.
pub(crate) fn normalise_pypi(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// A PEP 508 requirement: `(name, version spec, byte length of the requirement proper)`.
/// Markers (`; python_version < "3.9"`) are left out; a direct reference (`name @ url`) has no
/// version.
fn parse_requirement(s: &str) -> Option<(String, Option<String>, usize)> {
    let name_len = s
        .char_indices()
        .take_while(|&(_, c)| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .last()
        .map(|(i, c)| i + c.len_utf8())?;
    let name = &s[..name_len];
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !name.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let mut rest = &s[name_len..];
    let mut consumed = name_len;
    // Extras.
    let trimmed = rest.trim_start();
    if let Some(after) = trimmed.strip_prefix('[') {
        let close = after.find(']')?;
        let skip = (rest.len() - trimmed.len()) + 1 + close + 1;
        consumed += skip;
        rest = &rest[skip..];
    }
    let spec_end = rest.find(';').unwrap_or(rest.len());
    let spec_full = &rest[..spec_end];
    // Options after the spec (`--hash=...`) are not part of it.
    let spec_full = spec_full.find(" --").map_or(spec_full, |i| &spec_full[..i]);
    let spec = spec_full.trim();
    if spec.starts_with('@') {
        return Some((
            normalise_pypi(name),
            None,
            consumed + spec_full.trim_end().len(),
        ));
    }
    let version = spec.trim_start_matches('(').trim_end_matches(')').trim();
    // Anything but a version specifier means this is not a requirement.
    if !version.is_empty() && !version.starts_with(['=', '<', '>', '~', '!']) {
        return None;
    }
    let len = if version.is_empty() {
        consumed
    } else {
        consumed + spec_full.trim_end().len()
    };
    Some((
        normalise_pypi(name),
        (!version.is_empty()).then(|| version.to_string()),
        len,
    ))
}

fn is_dev_group(name: &str) -> bool {
    name.to_ascii_lowercase().split(['-', '_', '.']).any(|w| {
        matches!(
            w,
            "dev"
                | "develop"
                | "development"
                | "test"
                | "tests"
                | "testing"
                | "lint"
                | "linting"
                | "docs"
                | "doc"
                | "typing"
                | "ci"
                | "qa"
        )
    })
}

/// `requirements*.txt`: one requirement per line; `-r`/`-c` includes, options, local paths and
/// bare URLs are skipped (URLs keep their `#egg=` name).
pub(super) fn requirements(cx: &FileCtx<'_>, out: &mut Facts) {
    let name = file_name(cx.path);
    let stem = name
        .strip_prefix("requirements")
        .unwrap_or("")
        .trim_end_matches(".txt");
    let dev = is_dev_group(stem);
    let mut offset = 0;
    for raw in cx.text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        // A comment starts at `#` at the line start or after a blank (URL fragments stay).
        let cut = line
            .char_indices()
            .find(|&(i, c)| c == '#' && (i == 0 || line[..i].ends_with([' ', '\t'])))
            .map_or(line.len(), |(i, _)| i);
        let content = line[..cut].trim_end().trim_end_matches('\\').trim_end();
        let lead = content.len() - content.trim_start().len();
        let content = content.trim_start();
        if content.is_empty() {
            continue;
        }
        let start = line_start + lead;
        // `name @ url` direct references and plain requirements.
        if !content.starts_with(['-', '.', '/', '~'])
            && let Some((name, version, len)) = parse_requirement(content)
        {
            out.dependencies.push(dep(
                cx.span_of(start, start + len),
                "pypi",
                &name,
                version.as_deref(),
                dev,
            ));
            continue;
        }
        let is_url = content.contains("://") || content.starts_with("git+");
        if content.starts_with('-') || is_url {
            // Only editable or direct URLs with an `#egg=` name are dependencies.
            let editable = content.starts_with("-e ") || content.starts_with("--editable");
            if (editable || !content.starts_with('-'))
                && is_url
                && let Some(egg_at) = line.find("#egg=")
            {
                let egg = &line[egg_at + 5..];
                let egg_len = egg
                    .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
                    .unwrap_or(egg.len());
                if egg_len > 0 {
                    let s = line_start + egg_at + 5;
                    out.dependencies.push(dep(
                        cx.span_of(s, s + egg_len),
                        "pypi",
                        &normalise_pypi(&egg[..egg_len]),
                        None,
                        dev,
                    ));
                }
            }
        }
    }
}

/// Requirement strings of a TOML array (PEP 621, PEP 735), spans on the strings.
fn requirement_list(cx: &FileCtx<'_>, list: &NodeRef<'_>, dev: bool, out: &mut Facts) {
    for item in list.seq() {
        let Some(text) = item.as_str() else {
            continue; // `{include-group = "..."}` in dependency groups
        };
        if let Some((name, version, _)) = parse_requirement(text.trim()) {
            let (s, e) = item.span();
            out.dependencies.push(dep(
                cx.span_of(s as usize, e as usize),
                "pypi",
                &name,
                version.as_deref(),
                dev,
            ));
        }
    }
}

/// Poetry dependency tables: `name = "^1.0"` or `name = {version = "^1.0", ...}`.
fn poetry_table(cx: &FileCtx<'_>, table: &NodeRef<'_>, dev: bool, out: &mut Facts) {
    for (name, key_span, value) in table.entries() {
        if name.eq_ignore_ascii_case("python") || name.is_empty() {
            continue;
        }
        let version = value
            .as_str()
            .or_else(|| value.get("version").and_then(|v| v.as_str()));
        out.dependencies.push(dep(
            entry_span(cx, key_span, &value),
            "pypi",
            &normalise_pypi(name),
            version,
            dev,
        ));
    }
}

/// `pyproject.toml`.
pub(super) fn pyproject(cx: &FileCtx<'_>, doc: &Doc, out: &mut Facts) {
    let Some(root) = doc.root(0) else {
        return;
    };
    if let Some(list) = root.path(&["project", "dependencies"]) {
        requirement_list(cx, &list, false, out);
    }
    if let Some(groups) = root.path(&["project", "optional-dependencies"]) {
        for (group, _, list) in groups.entries() {
            requirement_list(cx, &list, is_dev_group(group), out);
        }
    }
    if let Some(poetry) = root.path(&["tool", "poetry"]) {
        if let Some(t) = poetry.get("dependencies") {
            poetry_table(cx, &t, false, out);
        }
        if let Some(t) = poetry.get("dev-dependencies") {
            poetry_table(cx, &t, true, out);
        }
        if let Some(groups) = poetry.get("group") {
            for (group, _, g) in groups.entries() {
                if let Some(t) = g.get("dependencies") {
                    poetry_table(cx, &t, group != "main", out);
                }
            }
        }
    }
    if let Some(groups) = root.get("dependency-groups") {
        for (_, _, list) in groups.entries() {
            requirement_list(cx, &list, true, out);
        }
    }
}

/// `go.mod`: `require` lines and blocks (indirect ones included).
pub(super) fn go_mod(cx: &FileCtx<'_>, out: &mut Facts) {
    #[derive(PartialEq)]
    enum Block {
        None,
        Require,
        Other,
    }
    let mut block = Block::None;
    let mut offset = 0;
    for raw in cx.text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let code = line.find("//").map_or(line, |i| &line[..i]);
        let lead = code.len() - code.trim_start().len();
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        let (entry, entry_offset) = match block {
            Block::Require | Block::Other if code == ")" => {
                block = Block::None;
                continue;
            }
            Block::Other => continue,
            Block::Require => (code, lead),
            Block::None => {
                let (directive, rest) = code.split_once(char::is_whitespace).unwrap_or((code, ""));
                let rest_trim = rest.trim_start();
                if rest_trim == "(" {
                    block = if directive == "require" {
                        Block::Require
                    } else {
                        Block::Other
                    };
                    continue;
                }
                if directive != "require" {
                    continue;
                }
                (rest_trim, lead + (code.len() - rest_trim.len()))
            }
        };
        let mut parts = entry.split_whitespace();
        let (Some(path), Some(version)) = (parts.next(), parts.next()) else {
            continue;
        };
        let name = path.trim_matches(['"', '`']);
        if name.is_empty() {
            continue;
        }
        let start = line_start + entry_offset;
        let end = entry
            .find(version)
            .map_or(start + path.len(), |i| start + i + version.len());
        out.dependencies.push(dep(
            cx.span_of(start, end),
            "go",
            name,
            Some(version),
            false,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_strings() {
        let r = |s| parse_requirement(s).map(|(n, v, l)| (n, v, &s[..l]));
        assert_eq!(
            r("Flask_SQLAlchemy[async] >= 3.0, <4 ; python_version > '3.8'"),
            Some((
                "flask-sqlalchemy".into(),
                Some(">= 3.0, <4".into()),
                "Flask_SQLAlchemy[async] >= 3.0, <4"
            ))
        );
        assert_eq!(r("requests"), Some(("requests".into(), None, "requests")));
        assert_eq!(
            r("pkg @ https://x/y.whl"),
            Some(("pkg".into(), None, "pkg @ https://x/y.whl"))
        );
        assert_eq!(
            r("pkg==1.0 --hash=sha256:abc").unwrap().1.as_deref(),
            Some("==1.0")
        );
        assert_eq!(r("zope.interface (>=5)").unwrap().1.as_deref(), Some(">=5"));
        assert_eq!(r("not a requirement"), None);
        assert_eq!(r("{bad}"), None);
    }
}
