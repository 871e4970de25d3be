//! Docker Compose files (v2, v3 and the Compose Specification): services with their image,
//! build context, published ports, environment, healthcheck, `depends_on`, restart policy,
//! logging and volumes. YAML merge keys (`<<: *defaults`) are followed one level at a time
//! (bounded), since compose files share `logging`/`restart` blocks that way.

use shipready_model::{ComposeDependsOn, ComposePort, ComposeService, EnvDecl, Facts, Span};
use shipready_syntax::config::{Doc, NodeRef};

use crate::FileCtx;

/// How many merge-key hops are followed.
const MAX_MERGE_DEPTH: u32 = 4;

/// Whether a path names a compose file (`compose.yaml`, `docker-compose.yml`,
/// `docker-compose.prod.yml`, `compose.override.yaml`...).
pub(crate) fn is_compose_path(path: &str) -> bool {
    let name = super::file_name(path);
    let Some(stem) = name
        .strip_suffix(".yml")
        .or_else(|| name.strip_suffix(".yaml"))
    else {
        return false;
    };
    stem == "compose"
        || stem == "docker-compose"
        || stem.starts_with("docker-compose.")
        || stem.starts_with("docker-compose-")
        || stem.starts_with("compose.")
}

/// Replaces `${VAR:-default}`, `${VAR-default}` with their defaults and `$$` with `$`; other
/// references (`${VAR}`, `${VAR:?err}`) are kept as written.
pub(crate) fn resolve_defaults(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
            continue;
        }
        if let Some(inner_start) = after.strip_prefix('{')
            && let Some(close) = inner_start.find('}')
        {
            let inner = &inner_start[..close];
            let default = inner
                .split_once(":-")
                .or_else(|| inner.split_once('-'))
                .map(|(_, d)| d);
            match default {
                Some(d) if !inner.contains(":?") => out.push_str(d),
                _ => {
                    out.push_str("${");
                    out.push_str(inner);
                    out.push('}');
                }
            }
            rest = &inner_start[close + 1..];
            continue;
        }
        out.push('$');
        rest = after;
    }
    out.push_str(rest);
    out
}

fn span(cx: &FileCtx<'_>, r: (u32, u32)) -> Span {
    cx.span_of(r.0 as usize, r.1 as usize)
}

/// `node[key]`, following `<<` merge keys when the key is not set directly.
fn get_merged<'a>(node: &NodeRef<'a>, key: &str, depth: u32) -> Option<NodeRef<'a>> {
    if let Some(v) = node.get(key) {
        return Some(v);
    }
    if depth >= MAX_MERGE_DEPTH {
        return None;
    }
    let merge = node.get("<<")?;
    if merge.is_seq() {
        merge.seq().find_map(|m| get_merged(&m, key, depth + 1))
    } else {
        get_merged(&merge, key, depth + 1)
    }
}

fn scalar(node: Option<NodeRef<'_>>) -> Option<String> {
    node.and_then(|n| n.as_str()).map(str::to_string)
}

/// Emits a [`ComposeService`] per service of a compose file.
pub(super) fn extract(cx: &FileCtx<'_>, doc: &Doc, out: &mut Facts) {
    let Some(root) = doc.root(0) else {
        return;
    };
    let Some(services) = root.get("services") else {
        return;
    };
    for (name, key_span, svc) in services.entries() {
        if name.is_empty() || !svc.is_map() {
            continue;
        }
        out.compose_services.push(service(cx, name, key_span, &svc));
    }
}

fn service(
    cx: &FileCtx<'_>,
    name: &str,
    key_span: (u32, u32),
    svc: &NodeRef<'_>,
) -> ComposeService {
    let get = |k: &str| get_merged(svc, k, 0);
    let build = get("build").and_then(|b| {
        b.as_str()
            .map(str::to_string)
            .or_else(|| b.str_at(&["context"]).map(str::to_string))
            .or_else(|| b.is_map().then(|| ".".to_string()))
    });
    let healthcheck = get("healthcheck").and_then(|h| {
        let disabled = h.get("disable").and_then(|d| d.as_bool()) == Some(true)
            || h.get("test")
                .and_then(|t| t.seq().next())
                .and_then(|t| t.as_str())
                == Some("NONE");
        (!disabled && !h.is_null()).then(|| span(cx, h.anchor_span()))
    });
    let restart = scalar(get("restart")).or_else(|| {
        get("deploy")
            .and_then(|d| d.get("restart_policy"))
            .map(|p| p.str_at(&["condition"]).unwrap_or("any").to_string())
    });
    let logging = get("logging");
    let logging_options = logging
        .and_then(|l| get_merged(&l, "options", 0))
        .map(|o| o.entries().map(|(k, _, _)| k.to_string()).collect())
        .unwrap_or_default();
    let command = get("command").and_then(|c| {
        c.as_str().map(str::to_string).or_else(|| {
            c.is_seq().then(|| {
                c.seq()
                    .filter_map(|p| p.as_str().map(str::to_string))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        })
    });
    let extends = get("extends").and_then(|e| {
        e.as_str()
            .map(str::to_string)
            .or_else(|| e.str_at(&["service"]).map(str::to_string))
    });
    ComposeService {
        span: span(cx, key_span),
        name: name.to_string(),
        image: scalar(get("image")).map(|i| resolve_defaults(&i)),
        build,
        ports: get("ports").map(|p| ports(cx, &p)).unwrap_or_default(),
        environment: get("environment")
            .map(|e| environment(cx, &e))
            .unwrap_or_default(),
        healthcheck,
        depends_on: get("depends_on")
            .map(|d| depends_on(cx, &d))
            .unwrap_or_default(),
        restart,
        logging: logging.map(|l| span(cx, l.anchor_span())),
        logging_driver: logging.and_then(|l| scalar(get_merged(&l, "driver", 0))),
        logging_options,
        volumes: get("volumes").map(|v| volumes(&v)).unwrap_or_default(),
        command,
        extends,
    }
}

fn environment(cx: &FileCtx<'_>, env: &NodeRef<'_>) -> Vec<EnvDecl> {
    if env.is_seq() {
        env.seq()
            .filter_map(|item| {
                let text = item.as_str()?;
                let (name, value) = match text.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (text, None),
                };
                Some(EnvDecl {
                    span: span(cx, item.span()),
                    name: name.trim().to_string(),
                    value,
                    value_from: None,
                })
            })
            .collect()
    } else {
        env.entries()
            .filter(|(k, _, _)| !k.is_empty() && *k != "<<")
            .map(|(name, key_span, v)| EnvDecl {
                span: span(cx, (key_span.0, v.span().1.max(key_span.1))),
                name: name.to_string(),
                value: v.as_str().map(str::to_string),
                value_from: None,
            })
            .collect()
    }
}

fn depends_on(cx: &FileCtx<'_>, d: &NodeRef<'_>) -> Vec<ComposeDependsOn> {
    if d.is_seq() {
        d.seq()
            .filter_map(|item| {
                Some(ComposeDependsOn {
                    span: span(cx, item.span()),
                    service: item.as_str()?.to_string(),
                    condition: None,
                })
            })
            .collect()
    } else {
        d.entries()
            .filter(|(k, _, _)| !k.is_empty())
            .map(|(name, key_span, v)| ComposeDependsOn {
                span: span(cx, key_span),
                service: name.to_string(),
                condition: v.str_at(&["condition"]).map(str::to_string),
            })
            .collect()
    }
}

/// Parses a short-syntax port (`"127.0.0.1:5432:5432/tcp"`, `"3000:3000"`, `"5432"`,
/// `"[::1]:80:80"`) into (host ip, published, target).
pub(crate) fn parse_short_port(text: &str) -> (Option<String>, Option<String>, String) {
    let text = resolve_defaults(text.trim());
    let text = text.split('/').next().unwrap_or("").to_string();
    let (ip, rest) = if let Some(after) = text.strip_prefix('[') {
        match after.split_once("]:") {
            Some((ip, rest)) => (Some(ip.to_string()), rest.to_string()),
            None => (None, text.clone()),
        }
    } else {
        let parts: Vec<&str> = text.split(':').collect();
        if parts.len() >= 3 {
            (Some(parts[0].to_string()), parts[1..].join(":"))
        } else {
            (None, text.clone())
        }
    };
    match rest.split_once(':') {
        Some((published, target)) => (
            ip,
            (!published.is_empty()).then(|| published.to_string()),
            target.to_string(),
        ),
        None => (ip, None, rest),
    }
}

fn ports(cx: &FileCtx<'_>, p: &NodeRef<'_>) -> Vec<ComposePort> {
    p.seq()
        .filter_map(|item| {
            if item.is_map() {
                let target = item.str_at(&["target"])?.to_string();
                return Some(ComposePort {
                    span: span(cx, item.span()),
                    host_ip: item.str_at(&["host_ip"]).map(str::to_string),
                    published: item.str_at(&["published"]).map(resolve_defaults),
                    target,
                });
            }
            let (host_ip, published, target) = parse_short_port(item.as_str()?);
            Some(ComposePort {
                span: span(cx, item.span()),
                host_ip,
                published,
                target,
            })
        })
        .collect()
}

fn volumes(v: &NodeRef<'_>) -> Vec<String> {
    v.seq()
        .filter_map(|item| {
            item.as_str().map(str::to_string).or_else(|| {
                let source = item.str_at(&["source"]).unwrap_or("");
                let target = item.str_at(&["target"])?;
                Some(format!("{source}:{target}"))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_resolved() {
        assert_eq!(resolve_defaults("postgres:${PG_TAG:-16}"), "postgres:16");
        assert_eq!(resolve_defaults("x:${TAG-1.2}"), "x:1.2");
        assert_eq!(resolve_defaults("x:${TAG}"), "x:${TAG}");
        assert_eq!(resolve_defaults("a$$b"), "a$b");
        assert_eq!(resolve_defaults("${A:?missing}"), "${A:?missing}");
    }

    #[test]
    fn short_ports() {
        assert_eq!(
            parse_short_port("127.0.0.1:5432:5432"),
            (Some("127.0.0.1".into()), Some("5432".into()), "5432".into())
        );
        assert_eq!(
            parse_short_port("3000:3000/tcp"),
            (None, Some("3000".into()), "3000".into())
        );
        assert_eq!(parse_short_port("5432"), (None, None, "5432".into()));
        assert_eq!(
            parse_short_port("[::1]:80:8080"),
            (Some("::1".into()), Some("80".into()), "8080".into())
        );
        assert_eq!(
            parse_short_port("${PORT:-8080}:80"),
            (None, Some("8080".into()), "80".into())
        );
        assert!(is_compose_path("deploy/docker-compose.prod.yml"));
        assert!(is_compose_path("compose.yaml"));
        assert!(!is_compose_path("composer.yaml"));
    }
}
