//! Deploy-config details the cross-file rules join with code: HTTP health checks (k8s
//! `httpGet` probes, compose `healthcheck` commands that request a local URL), the ports a
//! deploy config expects (k8s `containerPort`, probe ports), `envFrom`/`env_file` sources, pod
//! template labels and Kubernetes Services. Owners are the same spans the k8s and compose
//! extractors give their containers and services, so the deploy linker can join them.
//! Nothing here recurses: fixed paths over the parsed [`Doc`].

use shipready_model::{
    DeployPort, EnvSource, Facts, HealthCheck, K8sPodLabels, K8sService, K8sServicePort, Span,
};
use shipready_syntax::config::{Doc, NodeRef};

use crate::FileCtx;

fn span(cx: &FileCtx<'_>, r: (u32, u32)) -> Span {
    cx.span_of(r.0 as usize, r.1 as usize)
}

/// A URL found in a health-check command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LocalUrl {
    /// Byte offset of the URL in the text searched.
    pub start: usize,
    /// Byte length of the URL.
    pub len: usize,
    /// Port, when given.
    pub port: Option<String>,
    /// Byte offset of the port in the text searched, when given.
    pub port_start: Option<usize>,
    /// Path without query or fragment (`/` when none).
    pub path: String,
}

const LOCAL_HOSTS: &[&str] = &["localhost", "127.0.0.1", "0.0.0.0", "[::1]"];

/// The first `http://` URL on a local host in a health-check command (`curl -f
/// http://localhost:8080/healthz`), when the command runs `curl` or `wget`. URLs with shell
/// variables in the path are not returned.
pub(crate) fn local_url(command: &str) -> Option<LocalUrl> {
    if !(command.contains("curl") || command.contains("wget")) {
        return None;
    }
    let mut from = 0;
    while let Some(pos) = command[from..].find("http://") {
        let start = from + pos;
        let rest = &command[start + "http://".len()..];
        let end = rest
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ']' | ';' | '|' | '&' | ')')
            })
            .unwrap_or(rest.len());
        let url = &rest[..end];
        from = start + "http://".len() + end;
        let (authority, path) = url.find('/').map_or((url, "/"), |i| (&url[..i], &url[i..]));
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.is_empty() && !h.ends_with(':') && !p.is_empty() => (h, Some(p)),
            _ => (authority, None),
        };
        if !LOCAL_HOSTS.contains(&host) {
            continue;
        }
        let path = path.split(['?', '#']).next().unwrap_or("/");
        if path.contains('$') || port.is_some_and(|p| !p.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        let port_start = port.map(|_| start + "http://".len() + host.len() + 1);
        return Some(LocalUrl {
            start,
            len: "http://".len() + end,
            port: port.map(str::to_string),
            port_start,
            path: if path.is_empty() {
                "/".to_string()
            } else {
                path.to_string()
            },
        });
    }
    None
}

/// Extracts deploy details from one YAML document set.
pub(super) fn extract(cx: &FileCtx<'_>, doc: &Doc, out: &mut Facts) {
    for root in doc.root_refs() {
        if root.str_at(&["kind"]) == Some("List") && root.get("apiVersion").is_some() {
            for item in root.get("items").into_iter().flat_map(|i| i.seq()) {
                k8s_object(cx, &item, out);
            }
        } else {
            k8s_object(cx, &root, out);
        }
    }
    if super::compose::is_compose_path(cx.path) {
        compose(cx, doc, out);
    }
}

fn pod_spec_path(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "Pod" => &["spec"],
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" => {
            &["spec", "template", "spec"]
        }
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        _ => return None,
    })
}

fn labels_of(node: Option<NodeRef<'_>>) -> Vec<String> {
    node.into_iter()
        .flat_map(|m| m.entries().collect::<Vec<_>>())
        .filter_map(|(k, _, v)| v.as_str().map(|v| format!("{k}={v}")))
        .collect()
}

fn k8s_object(cx: &FileCtx<'_>, obj: &NodeRef<'_>, out: &mut Facts) {
    let Some(kind_node) = obj.get("kind") else {
        return;
    };
    let Some(kind) = kind_node.as_str() else {
        return;
    };
    if obj.get("apiVersion").and_then(|v| v.as_str()).is_none() {
        return;
    }
    if kind == "Service" {
        service(cx, obj, &kind_node, out);
        return;
    }
    let Some(path) = pod_spec_path(kind) else {
        return;
    };
    let template_meta: &[&str] = match kind {
        "Pod" => &["metadata", "labels"],
        "CronJob" => &[
            "spec",
            "jobTemplate",
            "spec",
            "template",
            "metadata",
            "labels",
        ],
        _ => &["spec", "template", "metadata", "labels"],
    };
    out.k8s_pod_labels.push(K8sPodLabels {
        workload: span(cx, kind_node.anchor_span()),
        labels: labels_of(obj.path(template_meta)),
    });
    let Some(pod) = obj.path(path) else {
        return;
    };
    for key in ["initContainers", "containers"] {
        for c in pod.get(key).into_iter().flat_map(|l| l.seq()) {
            if c.is_map() {
                container(cx, &c, key == "initContainers", out);
            }
        }
    }
}

fn container(cx: &FileCtx<'_>, c: &NodeRef<'_>, init: bool, out: &mut Facts) {
    let owner = span(cx, c.span());
    for e in c.get("envFrom").into_iter().flat_map(|e| e.seq()) {
        let name = e
            .str_at(&["configMapRef", "name"])
            .or_else(|| e.str_at(&["secretRef", "name"]));
        out.env_sources.push(EnvSource {
            span: span(cx, e.span()),
            kind: "envFrom".to_string(),
            name: name.map(str::to_string),
            owner,
        });
    }
    if init {
        return;
    }
    for p in c.get("ports").into_iter().flat_map(|p| p.seq()) {
        if let Some(v) = p.get("containerPort")
            && let Some(port) = v.as_str()
        {
            out.deploy_ports.push(DeployPort {
                span: span(cx, v.span()),
                source: "k8s-container-port".to_string(),
                port: port.to_string(),
                name: p.str_at(&["name"]).map(str::to_string),
                owner,
            });
        }
    }
    for (key, source) in [
        ("livenessProbe", "k8s-liveness"),
        ("readinessProbe", "k8s-readiness"),
        ("startupProbe", "k8s-startup"),
    ] {
        let Some(probe) = c.get(key) else { continue };
        let (http, port_node) = if let Some(h) = probe.get("httpGet") {
            (Some(h), h.get("port"))
        } else if let Some(t) = probe.get("tcpSocket") {
            (None, t.get("port"))
        } else {
            (None, None)
        };
        let port = port_node.and_then(|p| p.as_str().map(|s| (s.to_string(), span(cx, p.span()))));
        if let Some((port, port_span)) = &port {
            out.deploy_ports.push(DeployPort {
                span: *port_span,
                source: "k8s-probe".to_string(),
                port: port.clone(),
                name: None,
                owner,
            });
        }
        let Some(h) = http else { continue };
        let Some(path_node) = h.get("path") else {
            continue;
        };
        let Some(path) = path_node.as_str() else {
            continue;
        };
        let path = path.split(['?', '#']).next().unwrap_or("/");
        out.health_checks.push(HealthCheck {
            span: span(cx, path_node.span()),
            source: source.to_string(),
            path: path.to_string(),
            port: port.as_ref().map(|p| p.0.clone()),
            port_span: port.as_ref().map(|p| p.1),
            owner,
        });
    }
}

fn service(cx: &FileCtx<'_>, obj: &NodeRef<'_>, kind_node: &NodeRef<'_>, out: &mut Facts) {
    let ports = obj
        .path(&["spec", "ports"])
        .into_iter()
        .flat_map(|p| p.seq())
        .filter(NodeRef::is_map)
        .map(|p| {
            let target = p.get("targetPort");
            K8sServicePort {
                span: span(cx, p.span()),
                port: p.str_at(&["port"]).map(str::to_string),
                target_port: target.and_then(|t| t.as_str()).map(str::to_string),
                target_span: target.map(|t| span(cx, t.span())),
            }
        })
        .collect();
    out.k8s_services.push(K8sService {
        span: span(cx, kind_node.anchor_span()),
        name: obj.str_at(&["metadata", "name"]).unwrap_or("").to_string(),
        selector: labels_of(obj.path(&["spec", "selector"])),
        ports,
    });
}

fn compose(cx: &FileCtx<'_>, doc: &Doc, out: &mut Facts) {
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
        let owner = span(cx, key_span);
        if let Some(ef) = svc.get("env_file") {
            let names: Vec<String> = if let Some(s) = ef.as_str() {
                vec![s.to_string()]
            } else {
                ef.seq()
                    .filter_map(|e| {
                        e.as_str()
                            .or_else(|| e.str_at(&["path"]))
                            .map(str::to_string)
                    })
                    .collect()
            };
            out.env_sources.push(EnvSource {
                span: span(cx, ef.anchor_span()),
                kind: "env_file".to_string(),
                name: names.into_iter().next(),
                owner,
            });
        }
        let Some(hc) = svc.get("healthcheck") else {
            continue;
        };
        if hc.get("disable").and_then(|d| d.as_bool()) == Some(true) {
            continue;
        }
        let Some(test) = hc.get("test") else { continue };
        let parts: Vec<NodeRef<'_>> = if test.is_seq() {
            test.seq().collect()
        } else {
            vec![test]
        };
        let joined: String = parts
            .iter()
            .filter_map(NodeRef::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        if !(joined.contains("curl") || joined.contains("wget")) {
            continue;
        }
        for part in &parts {
            let Some(text) = part.as_str() else { continue };
            let Some(url) = local_url(&format!("curl {text}")) else {
                continue;
            };
            // Point at the URL in the file when it can be found there, else at the item.
            let (s, e) = part.span();
            let raw = cx.text.get(s as usize..e as usize).unwrap_or("");
            let needle = &format!("curl {text}")[url.start..url.start + url.len];
            let (us, ue, ps) = match raw.find(needle) {
                Some(off) => {
                    let us = s as usize + off;
                    let ps = url.port_start.map(|p| us + p - url.start);
                    (us, us + url.len, ps)
                }
                None => (s as usize, e as usize, None),
            };
            out.health_checks.push(HealthCheck {
                span: cx.span_of(us, ue),
                source: "compose".to_string(),
                path: url.path.clone(),
                port: url.port.clone(),
                port_span: match (ps, &url.port) {
                    (Some(p), Some(port)) => Some(cx.span_of(p, p + port.len())),
                    _ => None,
                },
                owner,
            });
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::local_url;

    #[test]
    fn urls() {
        let u = local_url("curl -fsS http://localhost:8000/healthz?x=1 || exit 1").expect("url");
        assert_eq!(u.path, "/healthz");
        assert_eq!(u.port.as_deref(), Some("8000"));
        assert_eq!(u.start, 10);
        let u = local_url("wget -qO- http://127.0.0.1/ready").expect("url");
        assert_eq!((u.path.as_str(), u.port), ("/ready", None));
        assert!(local_url("curl http://api:3000/health").is_none());
        assert!(local_url("nc -z localhost 80").is_none());
        assert!(local_url("curl http://localhost:$PORT/health").is_none());
        let u = local_url("curl http://localhost:3000").expect("url");
        assert_eq!(u.path, "/");
    }
}
