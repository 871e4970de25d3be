use std::collections::BTreeMap;

use shipready_model::{FileRole, Project, Span};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Kubernetes container without resource requests and limits
    ///
    /// ## What it finds
    /// Containers of Kubernetes workloads (Deployments, StatefulSets, DaemonSets, Jobs,
    /// CronJobs, Pods) that do not set `requests.cpu`, `requests.memory` and
    /// `limits.memory`. The message names what is missing. A CPU limit is not required.
    /// Workloads that appear several times (kustomize bases and overlay patches) are merged by
    /// kind, name and container before judging, and reported at their first occurrence.
    /// ## Why it matters
    /// Without requests the scheduler packs pods onto nodes blindly and they are the first
    /// evicted under pressure; without a memory limit one leaking pod takes the node's memory
    /// and the kernel kills its neighbours.
    /// ## Failure scenario
    /// A memory leak in the API grows for two days; with no limit it pushes the node into
    /// OOM, the kubelet evicts the payment worker next to it, and checkout stops.
    /// ## Examples
    /// ```yaml bad
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: shop/api:1.4.2
    /// ```
    /// ```yaml good
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: shop/api:1.4.2
    ///           resources:
    ///             requests: { cpu: 100m, memory: 256Mi }
    ///             limits: { memory: 512Mi }
    /// ```
    /// ## How to fix
    /// Set requests from observed usage and a memory limit with headroom; consider a
    /// `LimitRange` in the namespace as a default.
    /// ```yaml fix
    /// resources:
    ///   requests: { cpu: 250m, memory: 256Mi }
    ///   limits: { memory: 512Mi }
    /// ```
    /// ## Limitations
    /// A namespace `LimitRange` that supplies defaults is not taken into account; Helm
    /// templates are not read.
    /// ## References
    /// - Kubernetes, resource management for pods and containers: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
    pub K8sMissingResources {
        code: "AVL006",
        slug: "k8s-missing-resources",
        category: Availability,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 0.5,
    }
}

/// Resources set for one (kind, workload, container), and where the container is first seen
/// with an image.
type Merged<'a> = BTreeMap<(&'a str, &'a str, &'a str), (Vec<&'a str>, Option<Span>)>;

const REQUIRED: &[&str] = &["requests.cpu", "requests.memory", "limits.memory"];

impl Rule for K8sMissingResources {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        // (kind, workload, container) -> resources set anywhere, first occurrence.
        let mut merged: Merged<'_> = BTreeMap::new();
        let mut order = Vec::new();
        for w in &project.facts.k8s_workloads {
            if project.file(w.span.file).role == FileRole::Test {
                continue;
            }
            for c in &w.containers {
                let key = (w.kind.as_str(), w.name.as_str(), c.name.as_str());
                let e = merged.entry(key).or_insert_with(|| {
                    order.push(key);
                    (Vec::new(), None)
                });
                e.0.extend(c.resources.iter().map(String::as_str));
                // A patch that only sets resources has no image: the base is the place.
                if e.1.is_none() && c.image.is_some() {
                    e.1 = Some(c.span);
                }
            }
        }
        for key in order {
            let Some((set, Some(span))) = merged.get(&key) else {
                continue;
            };
            let missing: Vec<&str> = REQUIRED
                .iter()
                .copied()
                .filter(|r| !set.contains(r))
                .collect();
            if missing.is_empty() {
                cx.strength(
                    Self::META,
                    *span,
                    format!("container `{}` sets resource requests and limits", key.2),
                );
                continue;
            }
            let msg = if set.is_empty() {
                format!(
                    "container `{}` of {} `{}` sets no resource requests or limits",
                    key.2, key.0, key.1
                )
            } else {
                let list: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
                format!(
                    "container `{}` of {} `{}` lacks {}",
                    key.2,
                    key.0,
                    key.1,
                    list.join(", ")
                )
            };
            cx.finding(Self::META, *span, msg);
        }
    }
}
