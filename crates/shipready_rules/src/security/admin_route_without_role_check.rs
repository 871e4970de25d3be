use shipready_model::Project;

use super::chain::{self, Guard};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Admin route checks no role
    ///
    /// ## What it finds
    /// Administrative or destructive routes (a path segment `admin`, `backup`, `deploy`,
    /// `roles`, `config`, `settings`, `logs`, `export`, `internal`...) that require only
    /// authentication, with no role or permission check in their chain, in a service that does
    /// check roles on other routes (`requireRole`, `isAdmin`, `get_current_active_superuser`,
    /// `permission_required`).
    /// ## Why it matters
    /// Any signed-up user can call them. The service has roles, so the missing check is an
    /// oversight rather than a design: the admin router was mounted behind `authenticate` and
    /// nobody noticed that every customer account passes it.
    /// ## Failure scenario
    /// A customer registers, reads the bearer token from the browser, and calls
    /// `PATCH /api/admin/users/42/role` with `{"role": "admin"}` on their own id; from then on
    /// they export every order with customer e-mails.
    /// ## Examples
    /// ```ts bad
    /// import express from 'express';
    /// import { authenticate, requireRole } from './auth';
    /// const app = express();
    /// app.post('/products', authenticate, requireRole('staff'), (req, res) => res.json({}));
    /// app.delete('/admin/users/:id', authenticate, (req, res) => res.status(204).end());
    /// ```
    /// ```ts good
    /// import express from 'express';
    /// import { authenticate, requireRole } from './auth';
    /// const app = express();
    /// app.post('/products', authenticate, requireRole('staff'), (req, res) => res.json({}));
    /// app.delete('/admin/users/:id', authenticate, requireRole('admin'), (req, res) => res.status(204).end());
    /// ```
    /// ## How to fix
    /// Put the role check on the admin router itself, where it is mounted, so that every route
    /// added to it later inherits it.
    /// ```ts fix
    /// app.use('/api/admin', authenticate, requireRole('admin'), adminRouter);
    /// ```
    /// ## Limitations
    /// Role checks written inside the handler body (`if (req.user.role !== 'admin')`) are not
    /// seen, and neither are NestJS guards or Django permission classes; suppress with a reason
    /// when the handler checks the role itself. Which names count as role checks is the shared
    /// vocabulary of `security/chain.rs`. Routes of routers the linker could not follow to
    /// their mount are skipped.
    /// ## References
    /// - OWASP API5:2023 Broken Function Level Authorization: https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/
    pub AdminRouteWithoutRoleCheck {
        code: "SEC021",
        slug: "admin-route-without-role-check",
        category: Security,
        severity: Critical,
        likelihood: Likely,
        effort_hours: 1.0,
    }
}

impl Rule for AdminRouteWithoutRoleCheck {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for route in chain::production_routes(project) {
            let comp = project.file(route.span.file).component;
            if !chain::is_admin_path(&route.full_path) || !chain::is_linked(project, route) {
                continue;
            }
            if chain::has_role_check(project, route) {
                cx.strength(
                    Self::META,
                    route.span,
                    format!("`{} {}` checks a role", route.method, route.full_path),
                );
                continue;
            }
            if !chain::is_authenticated(project, route)
                || !chain::component_uses(project, comp, Guard::Role)
            {
                continue;
            }
            let auth = chain::guard_names(project, route)
                .into_iter()
                .find(|(n, _)| chain::classify(n) == Guard::Auth);
            let f = cx.finding(
                Self::META,
                route.span,
                format!(
                    "`{} {}` requires only authentication, no role check",
                    route.method, route.full_path
                ),
            );
            if let Some((name, span)) = auth {
                f.related(span, format!("only `{name}` guards it"));
            }
        }
    }
}
