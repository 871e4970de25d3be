//! Kubernetes workloads from YAML documents (and `kind: List` items): containers, probes,
//! resources, ports and env.

use shipready_model::{EnvDecl, Facts, K8sContainer, K8sWorkload, Probe, Span};
use shipready_syntax::config::{Doc, NodeRef};

use crate::FileCtx;

/// The path from a workload to its pod spec, by kind.
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

fn span(cx: &FileCtx<'_>, r: (u32, u32)) -> Span {
    cx.span_of(r.0 as usize, r.1 as usize)
}

/// Emits a [`K8sWorkload`] per workload document. Documents that are not Kubernetes objects
/// (compose files, CI workflows, OpenAPI...) yield nothing.
pub(super) fn extract(cx: &FileCtx<'_>, doc: &Doc, out: &mut Facts) {
    for root in doc.root_refs() {
        if root.str_at(&["kind"]) == Some("List") && root.get("apiVersion").is_some() {
            for item in root.get("items").into_iter().flat_map(|i| i.seq()) {
                workload(cx, &item, out);
            }
        } else {
            workload(cx, &root, out);
        }
    }
}

fn workload(cx: &FileCtx<'_>, obj: &NodeRef<'_>, out: &mut Facts) {
    let Some(kind_node) = obj.get("kind") else {
        return;
    };
    let Some(kind) = kind_node.as_str() else {
        return;
    };
    if obj.get("apiVersion").and_then(|v| v.as_str()).is_none() {
        return;
    }
    let Some(path) = pod_spec_path(kind) else {
        return;
    };
    let mut containers = Vec::new();
    if let Some(pod) = obj.path(path) {
        for (key, init) in [("initContainers", true), ("containers", false)] {
            for c in pod.get(key).into_iter().flat_map(|l| l.seq()) {
                if c.is_map() {
                    containers.push(container(cx, &c, init));
                }
            }
        }
    }
    out.k8s_workloads.push(K8sWorkload {
        span: span(cx, kind_node.anchor_span()),
        kind: kind.to_string(),
        name: obj.str_at(&["metadata", "name"]).unwrap_or("").to_string(),
        containers,
    });
}

fn container(cx: &FileCtx<'_>, c: &NodeRef<'_>, init: bool) -> K8sContainer {
    let mut resources = Vec::new();
    if let Some(res) = c.get("resources") {
        for group in ["requests", "limits"] {
            for r in ["cpu", "memory"] {
                if res.path(&[group, r]).is_some_and(|v| !v.is_null()) {
                    resources.push(format!("{group}.{r}"));
                }
            }
        }
    }
    let ports = c
        .get("ports")
        .into_iter()
        .flat_map(|p| p.seq())
        .filter_map(|p| p.str_at(&["containerPort"]).map(str::to_string))
        .collect();
    let env = c
        .get("env")
        .into_iter()
        .flat_map(|e| e.seq())
        .filter_map(|e| {
            let name = e.str_at(&["name"])?.to_string();
            let value_from = e.get("valueFrom").and_then(|vf| {
                vf.entries().map(|(k, _, _)| k.to_string()).find(|k| {
                    matches!(
                        k.as_str(),
                        "secretKeyRef" | "configMapKeyRef" | "fieldRef" | "resourceFieldRef"
                    )
                })
            });
            Some(EnvDecl {
                span: span(cx, e.span()),
                name,
                value: e.str_at(&["value"]).map(str::to_string),
                value_from,
            })
        })
        .collect();
    K8sContainer {
        span: span(cx, c.span()),
        name: c.str_at(&["name"]).unwrap_or("").to_string(),
        image: c.str_at(&["image"]).map(str::to_string),
        init,
        liveness: probe(cx, c, "livenessProbe"),
        readiness: probe(cx, c, "readinessProbe"),
        startup: probe(cx, c, "startupProbe"),
        resources,
        ports,
        env,
    }
}

fn probe(cx: &FileCtx<'_>, c: &NodeRef<'_>, key: &str) -> Option<Probe> {
    let p = c.get(key)?;
    if p.is_null() {
        return None;
    }
    let port_of = |n: Option<NodeRef<'_>>| n.and_then(|h| h.str_at(&["port"]).map(str::to_string));
    let (kind, path, port) = if let Some(h) = p.get("httpGet") {
        (
            "http",
            h.str_at(&["path"]).map(str::to_string),
            port_of(Some(h)),
        )
    } else if let Some(t) = p.get("tcpSocket") {
        ("tcp", None, port_of(Some(t)))
    } else if p.get("exec").is_some() {
        ("exec", None, None)
    } else if let Some(g) = p.get("grpc") {
        ("grpc", None, port_of(Some(g)))
    } else {
        ("unknown", None, None)
    };
    Some(Probe {
        span: span(cx, p.anchor_span()),
        kind: kind.to_string(),
        path,
        port,
    })
}
