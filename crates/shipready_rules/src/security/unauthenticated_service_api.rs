use std::collections::BTreeMap;

use shipready_model::{ComponentId, Framework, Project, Route};

use super::chain::{self, Guard};
use super::unauthenticated_mutation::is_public_by_design;
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Service API without any authentication
    ///
    /// ## What it finds
    /// An HTTP service none of whose routes requires authentication (no auth or role
    /// middleware, dependency, decorator or header-token parameter anywhere, and no auth
    /// library among its dependencies) while it serves state-changing routes or
    /// administrative paths. Internal service and agent APIs count: "only reachable from the
    /// cluster" is a network property that changes with one ingress or port mapping.
    /// ## Why it matters
    /// Whoever reaches the port can change data. Internal services get exposed by a compose
    /// `ports:` entry, a `LoadBalancer` Service, a debugging port-forward, or any compromised
    /// pod in the same network; without authentication nothing else stands in the way.
    /// ## Failure scenario
    /// The recommendation worker is published on port 8000 for a quick test and stays that
    /// way; a crawler finds `POST /jobs/rebuild` and calls it in a loop, saturating the
    /// database and the paid LLM quota.
    /// ## Examples
    /// ```py bad
    /// from fastapi import FastAPI
    /// app = FastAPI()
    ///
    /// @app.post("/jobs/rebuild")
    /// def rebuild():
    ///     return {"queued": True}
    /// ```
    /// ```py good
    /// from fastapi import Depends, FastAPI
    /// from .auth import require_service_token
    /// app = FastAPI(dependencies=[Depends(require_service_token)])
    ///
    /// @app.post("/jobs/rebuild")
    /// def rebuild():
    ///     return {"queued": True}
    /// ```
    /// ## How to fix
    /// Require a credential on every route but health: a service token or mTLS identity for
    /// service-to-service calls, user auth for user-facing APIs.
    /// ```go fix
    /// api := r.Group("/", RequireServiceToken(os.Getenv("SERVICE_TOKEN")))
    /// ```
    /// ## Limitations
    /// Authentication done by a gateway or service mesh in front of the service is not seen:
    /// suppress with a reason naming it. Checks inside handler bodies are not seen (a header
    /// parameter named like a token is). Django and Next.js routes are not checked. Which
    /// names count as auth is the shared vocabulary of `security/chain.rs`.
    /// ## References
    /// - OWASP API2:2023 Broken Authentication: https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
    pub UnauthenticatedServiceApi {
        code: "SEC018",
        slug: "unauthenticated-service-api",
        category: Security,
        severity: High,
        likelihood: Possible,
        effort_hours: 4.0,
    }
}

/// Authentication libraries: a service that depends on one authenticates somewhere, even
/// where the chain does not show it.
const AUTH_LIBRARIES: &[&str] = &[
    "passport",
    "express-jwt",
    "express-openid-connect",
    "express-session",
    "jsonwebtoken",
    "jose",
    "@auth0/",
    "@clerk/",
    "next-auth",
    "@nestjs/passport",
    "@fastify/jwt",
    "@fastify/auth",
    "koa-jwt",
    "firebase-admin",
    "fastapi-users",
    "fastapi-jwt-auth",
    "flask-login",
    "flask-jwt-extended",
    "flask-httpauth",
    "python-jose",
    "pyjwt",
    "jwt",
    "authlib",
    "djangorestframework-simplejwt",
    "github.com/golang-jwt/jwt",
    "github.com/dgrijalva/jwt-go",
    "github.com/lestrrat-go/jwx",
    "github.com/coreos/go-oidc",
    "github.com/appleboy/gin-jwt",
];

impl Rule for UnauthenticatedServiceApi {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let mut by_comp: BTreeMap<ComponentId, Vec<&Route>> = BTreeMap::new();
        for route in chain::production_routes(project) {
            if route.framework == Framework::Django {
                continue;
            }
            by_comp
                .entry(project.file(route.span.file).component)
                .or_default()
                .push(route);
        }
        for (comp, routes) in by_comp {
            if routes.iter().any(|r| !chain::is_linked(project, r))
                || chain::component_uses(project, comp, Guard::Auth)
                || chain::component_uses(project, comp, Guard::Role)
                || chain::component_has_library(project, comp, AUTH_LIBRARIES)
            {
                continue;
            }
            let exposed: Vec<&&Route> = routes
                .iter()
                .filter(|r| {
                    (chain::is_mutation(&r.method) || chain::is_admin_path(&r.full_path))
                        && !is_public_by_design(r)
                })
                .collect();
            let Some(first) = exposed.first() else {
                continue;
            };
            let name = &project.component(comp).name;
            let f = cx.finding(
                Self::META,
                first.span,
                format!(
                    "`{name}` requires no authentication on any route (state-changing or admin routes: {})",
                    exposed.len()
                ),
            );
            for r in exposed.iter().skip(1).take(4) {
                f.related(r.span, format!("`{} {}`", r.method, r.full_path));
            }
        }
    }
}
