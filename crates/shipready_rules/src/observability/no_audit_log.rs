use shipready_model::{ComponentId, Framework, Project, Route};

use crate::security::chain::{is_login_path, is_mutation, production_routes};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Login and role changes leave no audit record
    ///
    /// ## What it finds
    /// Login/token routes (`POST /login`, `/auth/token`, `/sessions`) and role or permission
    /// changes (`PATCH /users/:id/role`, `PUT /roles`) whose handler writes nothing through a
    /// logger (a raw `console.log`/`print` does not count), in a service with no audit trail
    /// anywhere (no call to an `audit...` function or model).
    /// ## Why it matters
    /// After an account takeover or a privilege escalation the first questions are who
    /// logged in from where, which attempts failed, and who granted the role. Without a
    /// durable record of those events there is no answer, no alert on brute force, and
    /// nothing to show an auditor.
    /// ## Failure scenario
    /// A staff account is phished and promotes a second account to admin. The only trace is
    /// a `console.log` line lost when the pod was replaced; the team cannot tell which data
    /// was exported or since when the attacker had access.
    /// ## Examples
    /// ```js bad
    /// const express = require('express');
    /// const router = express.Router();
    /// router.patch('/users/:id/role', async (req, res, next) => {
    ///   try {
    ///     await setRole(req.params.id, req.body.role);
    ///     console.log(`user ${req.params.id} is now ${req.body.role}`);
    ///     res.json({ ok: true });
    ///   } catch (err) {
    ///     next(err);
    ///   }
    /// });
    /// ```
    /// ```js good
    /// const express = require('express');
    /// const router = express.Router();
    /// router.patch('/users/:id/role', async (req, res, next) => {
    ///   try {
    ///     await setRole(req.params.id, req.body.role);
    ///     await auditLog.record({ actor: req.user.id, action: 'role.change', target: req.params.id });
    ///     res.json({ ok: true });
    ///   } catch (err) {
    ///     next(err);
    ///   }
    /// });
    /// ```
    /// ## How to fix
    /// Record security events (login success and failure, logout, password reset, role and
    /// permission changes) with actor, target, time and source address, in an append-only
    /// store or a dedicated audit logger shipped off the host.
    /// ```py fix
    /// audit_logger.info("login.failed", extra={"email": email, "ip": request.client.host})
    /// ```
    /// ## Limitations
    /// Any logger call in the handler, or in the component's auth/user/session code, counts
    /// as a record, even one that logs something else; events recorded elsewhere are seen
    /// only when the service calls something named `audit...`. Handlers that could not be
    /// resolved, and NestJS controllers (which delegate to services), are not reported.
    pub NoAuditLog {
        code: "OBS007",
        slug: "no-audit-log",
        category: Observability,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 2.0,
    }
}

/// Token checks and refreshes (`/login/test-token`, `/token/verify`, `/token/refresh`) are
/// not sign-ins.
fn is_token_check(path: &str) -> bool {
    path.split('/').any(|seg| {
        let seg = seg.to_ascii_lowercase();
        [
            "test",
            "verify",
            "validate",
            "check",
            "introspect",
            "refresh",
        ]
        .iter()
        .any(|k| seg.contains(k))
    })
}

/// Whether the route changes roles or permissions.
fn is_role_change(route: &Route) -> bool {
    is_mutation(&route.method)
        && route.full_path.split('/').any(|seg| {
            matches!(
                seg.to_ascii_lowercase().as_str(),
                "role" | "roles" | "permission" | "permissions" | "grants"
            )
        })
}

/// Whether the component writes through a logger in its auth/user code (where a login
/// or password service the handler calls would record its events).
fn logs_in_auth_code(project: &Project, component: ComponentId) -> bool {
    const AUTH_WORDS: &[&str] = &[
        "auth", "login", "session", "password", "user", "account", "security", "identity",
    ];
    project.facts.log_calls.iter().any(|l| {
        let file = project.file(l.span.file);
        let path = file.path.to_ascii_lowercase();
        !l.is_print
            && file.component == component
            && project.is_production(l.span)
            && AUTH_WORDS.iter().any(|w| path.contains(w))
    })
}

impl Rule for NoAuditLog {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let facts = &project.facts;
        let mut credited = std::collections::BTreeSet::new();
        for route in production_routes(project) {
            let login = route.method == "POST"
                && is_login_path(&route.full_path)
                && !is_token_check(&route.full_path);
            let role = is_role_change(route);
            // NestJS controllers delegate to services, which are not followed.
            if !(login || role) || !route.handler.resolved || route.framework == Framework::Nest {
                continue;
            }
            let component = project.file(route.span.file).component;
            if let Some(audit) = facts.audit_calls.iter().find(|a| {
                project.file(a.span.file).component == component && project.is_production(a.span)
            }) {
                if credited.insert(component) {
                    cx.strength(
                        Self::META,
                        audit.span,
                        format!("audit trail recorded with `{}`", audit.api),
                    );
                }
                continue;
            }
            let h = route.handler.span;
            let logged = facts.log_calls.iter().any(|l| {
                !l.is_print
                    && l.span.file == h.file
                    && h.start <= l.span.start
                    && l.span.end <= h.end
            });
            if logged || logs_in_auth_code(project, component) {
                continue;
            }
            let what = if login { "login" } else { "role change" };
            cx.finding(
                Self::META,
                route.span,
                format!(
                    "{what} route `{} {}` records no audit event",
                    route.method, route.full_path
                ),
            );
        }
    }
}
