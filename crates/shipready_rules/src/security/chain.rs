//! What the middlewares of a route's chain do: the shared vocabulary of auth, role checks,
//! rate limiters, validators and security-header middlewares, and helpers over routes. Every
//! rule that asks "is this route authenticated?" asks here, so two rules never disagree.

use std::collections::BTreeSet;

use shipready_model::{ComponentId, Framework, Project, Route, Span};

/// What a middleware (or dependency, decorator, guard) does, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Guard {
    /// Authenticates the caller (`authenticate`, `auth.required`, `get_current_user`,
    /// `login_required`, `RequireAPIKey`, `passport.authenticate`).
    Auth,
    /// Checks a role or permission (`requireRole`, `isAdmin`, `get_current_active_superuser`,
    /// `permission_required`); implies authentication.
    Role,
    /// Limits request rates (`rateLimit`, `apiLimiter`, `throttle`, `slowDown`).
    RateLimit,
    /// Validates input (`validate`, `celebrate`, `validateBody`).
    Validation,
    /// Sets security headers (`helmet`, `secure`, `Talisman`).
    Headers,
    /// Anything else.
    Other,
}

/// Lower-case alphanumerics of a name (`auth.required` -> `authrequired`).
fn squash(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

const RATE_LIMIT_WORDS: &[&str] = &[
    "ratelimit",
    "limiter",
    "throttle",
    "slowdown",
    "speedlimit",
    "tollbooth",
    "bruteforce",
    "brute",
];

const HEADER_WORDS: &[&str] = &[
    "helmet",
    "talisman",
    "secureheaders",
    "securityheaders",
    "securitymiddleware",
    "unrolledsecure",
];

const ROLE_WORDS: &[&str] = &[
    "role",
    "permission",
    "superuser",
    "admin",
    "isstaff",
    "staffrequired",
    "scope",
    "authorize",
    "authorise",
    "acl",
    "rbac",
    "casbin",
    "privilege",
    "policy",
    "isowner",
    "grant",
];

const AUTH_WORDS: &[&str] = &[
    "auth",
    "jwt",
    "token",
    "loginrequired",
    "requirelogin",
    "requireuser",
    "currentuser",
    "activeuser",
    "getuser",
    "passport",
    "apikey",
    "bearer",
    "protect",
    "guard",
    "isloggedin",
    "ensureloggedin",
    "isauthenticated",
    "signedin",
    "verifyuser",
    "clerk",
    "session_required",
    "requiresession",
    "firebase",
    // A signed request (`verifyPayloadIntegrity`, `verifySignature`, an HMAC check) proves
    // the caller holds the shared key.
    "integrity",
    "signature",
    "hmac",
];

const VALIDATION_WORDS: &[&str] = &["validat", "celebrate", "checkschema", "zod", "joi"];

/// Classifies a middleware, dependency or guard name.
pub fn classify(name: &str) -> Guard {
    let s = squash(name);
    // `SkipThrottle`, `SkipAuth` switch a guard off.
    if s.is_empty() || s.starts_with("skip") {
        return Guard::Other;
    }
    if RATE_LIMIT_WORDS.iter().any(|w| s.contains(w)) {
        return Guard::RateLimit;
    }
    if HEADER_WORDS.iter().any(|w| s.contains(w)) || s == "secure" || s.ends_with("securenew") {
        return Guard::Headers;
    }
    // Optional authentication lets anonymous callers through.
    if s.contains("optional") || s.contains("anonymous") || s.contains("public") {
        return Guard::Other;
    }
    if ROLE_WORDS.iter().any(|w| s.contains(w)) {
        return Guard::Role;
    }
    if AUTH_WORDS.iter().any(|w| s.contains(w)) {
        return Guard::Auth;
    }
    if VALIDATION_WORDS.iter().any(|w| s.contains(w)) {
        return Guard::Validation;
    }
    Guard::Other
}

/// Names guarding a route: its chain, then guards declared on its handler function.
pub fn guard_names<'p>(project: &'p Project, route: &'p Route) -> Vec<(&'p str, Span)> {
    let mut out: Vec<(&str, Span)> = route
        .chain
        .iter()
        .map(|m| (m.name.as_str(), m.span))
        .collect();
    let h = route.handler.span;
    for g in &project.facts.handler_guards {
        if g.span.file == h.file && g.span.start <= h.start && h.end <= g.span.end {
            out.extend(
                g.names
                    .iter()
                    .filter(|n| !is_request_model(n))
                    .map(|n| (n.as_str(), g.span)),
            );
        }
    }
    out
}

/// Whether a parameter type names a request or response model (`GroupAdminUpdate`,
/// `CreateInviteToken`, `LongLiveTokenIn`): a body parameter, not a dependency, whatever
/// words (`Admin`, `Token`) it contains.
fn is_request_model(name: &str) -> bool {
    const VERBS: &[&str] = &["Create", "Update", "Set", "Delete", "Patch", "New", "Edit"];
    const SUFFIXES: &[&str] = &[
        "Create", "Update", "Patch", "In", "Out", "Base", "Request", "Response", "Schema",
        "Payload", "Body", "Dto", "DTO", "Input", "Data", "Form",
    ];
    if !name.starts_with(|c: char| c.is_ascii_uppercase()) || name.contains(['.', ':']) {
        return false;
    }
    // The name must have more than the affix: `Update` alone, or `In` of `LoggedIn`, is not it.
    let camel_word = |rest: &str| rest.starts_with(|c: char| c.is_ascii_uppercase());
    VERBS
        .iter()
        .any(|v| name.strip_prefix(v).is_some_and(camel_word))
        || SUFFIXES.iter().any(|x| {
            name.strip_suffix(x).is_some_and(|head| {
                head.len() > 1 && !head.ends_with("Logged") && !head.ends_with("Signed")
            })
        })
}

/// The kinds of guard a route has.
pub fn guards(project: &Project, route: &Route) -> BTreeSet<Guard> {
    guard_names(project, route)
        .into_iter()
        .map(|(n, _)| classify(n))
        .collect()
}

/// Whether the route authenticates its caller (an auth or role guard).
pub fn is_authenticated(project: &Project, route: &Route) -> bool {
    let g = guards(project, route);
    g.contains(&Guard::Auth) || g.contains(&Guard::Role)
}

/// Whether the route checks a role or permission.
pub fn has_role_check(project: &Project, route: &Route) -> bool {
    guards(project, route).contains(&Guard::Role)
}

/// Whether a rate limiter is in the route's chain.
pub fn is_rate_limited(project: &Project, route: &Route) -> bool {
    guards(project, route).contains(&Guard::RateLimit)
}

/// Whether Django REST framework throttling is configured in the component
/// (`DEFAULT_THROTTLE_CLASSES` in settings, `throttle_classes` on views): it applies to views
/// without showing in any route chain.
pub fn drf_throttled(project: &Project, component: ComponentId) -> bool {
    component_text_contains(
        project,
        component,
        &["DEFAULT_THROTTLE_CLASSES", "throttle_classes"],
    )
}

/// Whether the method changes state.
pub fn is_mutation(method: &str) -> bool {
    matches!(method, "POST" | "PUT" | "PATCH" | "DELETE")
}

/// Production routes that count for the security rules: not tests, not websockets, not
/// Next.js pages (their auth lives in the handler or middleware.ts, not seen here).
pub fn production_routes(project: &Project) -> impl Iterator<Item = &Route> {
    project.facts.routes.iter().filter(|r| {
        project.is_production(r.span)
            && r.method != "WS"
            && r.method != "OPTIONS"
            && r.framework != Framework::Next
    })
}

/// Whether any name used anywhere as middleware, dependency or guard in the component is of
/// kind `kind` (route chains, router-level uses, mounts, handler guards).
pub fn component_uses(project: &Project, component: ComponentId, kind: Guard) -> bool {
    let in_comp = |s: Span| project.file(s.file).component == component && project.is_production(s);
    let f = &project.facts;
    f.routes
        .iter()
        .filter(|r| in_comp(r.span))
        .flat_map(|r| r.chain.iter())
        .chain(
            f.middleware_uses
                .iter()
                .filter(|u| in_comp(u.span))
                .flat_map(|u| u.middlewares.iter()),
        )
        .chain(
            f.mounts
                .iter()
                .filter(|m| in_comp(m.span))
                .flat_map(|m| m.middlewares.iter()),
        )
        .any(|m| classify(&m.name) == kind)
        || f.handler_guards
            .iter()
            .filter(|g| in_comp(g.span))
            .flat_map(|g| g.names.iter())
            .any(|n| classify(n) == kind)
}

/// Whether a path (or handler name) looks like an administrative or destructive surface.
pub fn is_admin_path(path: &str) -> bool {
    const WORDS: &[&str] = &[
        "admin",
        "backup",
        "backups",
        "deploy",
        "roles",
        "role",
        "config",
        "settings",
        "logs",
        "internal",
        "superuser",
        "impersonate",
        "export",
        "debug",
        "migrate",
        "restore",
        "purge",
    ];
    path.split('/')
        .filter(|s| !s.is_empty() && !s.starts_with(':') && !s.starts_with('{'))
        .any(|seg| {
            let seg = seg.to_ascii_lowercase();
            WORDS.contains(&seg.as_str())
        })
}

/// Whether a path is a login, token or password-reset endpoint.
pub fn is_login_path(path: &str) -> bool {
    let segs: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with(':') && !s.starts_with('{'))
        .map(squash)
        .collect();
    // `POST /api/auth`, `/sessions`: the resource itself is the login, only when last.
    if segs
        .last()
        .is_some_and(|s| matches!(s.as_str(), "auth" | "session" | "sessions" | "tokens"))
    {
        return true;
    }
    segs.iter().any(|s| {
        matches!(
            s.as_str(),
            "login"
                | "signin"
                | "logon"
                | "token"
                | "accesstoken"
                | "authenticate"
                | "forgotpassword"
                | "resetpassword"
                | "passwordreset"
                | "passwordrecovery"
                | "recoverpassword"
                | "otp"
                | "verifyotp"
                | "mfa"
                | "2fa"
        )
    })
}

/// Whether the route's chain is known to be complete: its router is an app, or it was
/// linked to a mount (its full path differs from its own path, or app-level middleware from
/// another file is in its chain). A sub-router the linker could not follow has a partial
/// chain, so rules about missing guards skip it.
pub fn is_linked(project: &Project, route: &Route) -> bool {
    if is_class_based_view(project, route) || nest_guarded_elsewhere(project, route) {
        return false;
    }
    let Some(router) = &route.router else {
        return true;
    };
    let decl = project
        .facts
        .routers
        .iter()
        .find(|d| d.span.file == route.span.file && &d.name == router);
    let Some(decl) = decl else {
        return false;
    };
    if decl.is_app {
        return true;
    }
    if let Some(parent) = &decl.parent
        && project
            .facts
            .routers
            .iter()
            .any(|d| d.span.file == route.span.file && &d.name == parent && d.is_app)
    {
        return true;
    }
    let own = join("", &route.path);
    route.full_path != own || route.chain.iter().any(|m| m.span.file != route.span.file)
}

/// Whether a NestJS route's component guards routes outside their decorators: global guards
/// (`APP_GUARD` providers, `app.useGlobalGuards`) or middleware applied by a module
/// (`consumer.apply(AuthMiddleware).forRoutes(...)`). Its chain is then partial. Only module
/// and bootstrap files are read.
fn nest_guarded_elsewhere(project: &Project, route: &Route) -> bool {
    if route.framework != Framework::Nest {
        return false;
    }
    let comp = project.file(route.span.file).component;
    project
        .files
        .iter()
        .filter(|f| {
            f.component == comp
                && f.role == shipready_model::FileRole::Source
                && [
                    ".module.ts",
                    "main.ts",
                    "bootstrap.ts",
                    ".module.js",
                    "main.js",
                ]
                .iter()
                .any(|x| f.path.ends_with(x))
        })
        .filter_map(|f| f.text.as_deref())
        .any(|t| {
            t.contains("APP_GUARD") || t.contains("useGlobalGuards(") || t.contains(".forRoutes(")
        })
}

/// Whether a Python route's handler is a method (`def get_all(self, ...)`) of a class-based
/// view (`@cbv(router)`, `@controller(router)`, Flask `MethodView`): its dependencies are
/// class attributes, often inherited from a base class in another file, so its chain is
/// partial.
fn is_class_based_view(project: &Project, route: &Route) -> bool {
    if !matches!(route.framework, Framework::FastApi | Framework::Flask) {
        return false;
    }
    let Some(text) = project.slice(route.handler.span) else {
        return false;
    };
    let Some((head, params)) = text.split_once('(') else {
        return false;
    };
    let params = params.trim_start();
    head.trim_start()
        .trim_start_matches("async")
        .trim_start()
        .starts_with("def ")
        && params.starts_with("self")
        && params[4..].starts_with(|c: char| matches!(c, ',' | ')' | ':') || c.is_whitespace())
}

fn join(prefix: &str, path: &str) -> String {
    let p = prefix.trim_end_matches('/');
    let s = path.trim_start_matches('/');
    if s.is_empty() {
        if p.is_empty() {
            "/".to_string()
        } else {
            p.to_string()
        }
    } else {
        format!("{p}/{s}")
    }
}

/// Whether `path` is `prefix` or below it, segment-wise.
pub fn path_has_prefix(path: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    prefix.is_empty()
        || path == prefix
        || (path.starts_with(prefix) && path.as_bytes().get(prefix.len()) == Some(&b'/'))
}

/// Whether the component declares (or imports) one of the libraries of `list`.
pub fn component_has_library(project: &Project, component: ComponentId, list: &[&str]) -> bool {
    let f = &project.facts;
    f.dependencies
        .iter()
        .filter(|d| project.file(d.span.file).component == component)
        .any(|d| crate::vocab::library_matches(&d.name, list))
        || f.imports
            .iter()
            .filter(|i| project.file(i.span.file).component == component)
            .any(|i| crate::vocab::library_matches(&i.module, list))
}

/// Whether a production source file of the component contains one of `needles`.
pub fn component_text_contains(
    project: &Project,
    component: ComponentId,
    needles: &[&str],
) -> bool {
    project
        .files
        .iter()
        .filter(|f| f.component == component && f.role == shipready_model::FileRole::Source)
        .filter_map(|f| f.text.as_deref())
        .any(|t| needles.iter().any(|n| t.contains(n)))
}

/// Whether a component only declares routes for others to mount: JavaScript controllers or
/// routers with no application (`express()`, `NestFactory.create`) and no server start in
/// the component (a shared `libs/` package, an SDK's framework adapter).
fn is_route_library(project: &Project, comp: ComponentId, framework: Framework) -> bool {
    let js = matches!(
        framework,
        Framework::Express
            | Framework::Express5
            | Framework::Fastify
            | Framework::Koa
            | Framework::Nest
            | Framework::Hono
    );
    let in_comp = |s: Span| project.file(s.file).component == comp && project.is_production(s);
    js && !project
        .facts
        .routers
        .iter()
        .any(|d| d.is_app && in_comp(d.span))
        && !project.facts.server_starts.iter().any(|s| in_comp(s.span))
}

/// The HTTP services of the project: components with production routes (Next.js pages and
/// websockets aside), each with the span to report at (its first application declaration,
/// else its first route).
pub fn http_services(project: &Project) -> Vec<(ComponentId, Span)> {
    let mut out: Vec<(ComponentId, Span)> = Vec::new();
    let mut libraries: Vec<ComponentId> = Vec::new();
    for route in production_routes(project) {
        let comp = project.file(route.span.file).component;
        if out.iter().any(|(c, _)| *c == comp) || libraries.contains(&comp) {
            continue;
        }
        if is_route_library(project, comp, route.framework) {
            libraries.push(comp);
            continue;
        }
        let at = project
            .facts
            .routers
            .iter()
            .find(|d| {
                d.is_app
                    && project.file(d.span.file).component == comp
                    && project.is_production(d.span)
            })
            .map_or(route.span, |d| d.span);
        out.push((comp, at));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_names() {
        for (name, g) in [
            ("authenticate", Guard::Auth),
            ("auth.required", Guard::Auth),
            ("auth.optional", Guard::Other),
            ("get_current_user", Guard::Auth),
            ("CurrentUser", Guard::Auth),
            ("login_required", Guard::Auth),
            ("handlers.RequireAPIKey", Guard::Auth),
            ("passport.authenticate", Guard::Auth),
            ("header:x_admin_token", Guard::Role),
            ("header:x_api_token", Guard::Auth),
            ("requireRole", Guard::Role),
            ("get_current_active_superuser", Guard::Role),
            ("isAdmin", Guard::Role),
            ("permission_required", Guard::Role),
            ("apiLimiter", Guard::RateLimit),
            ("rateLimit", Guard::RateLimit),
            ("limiter.limit", Guard::RateLimit),
            ("slowDown", Guard::RateLimit),
            ("helmet", Guard::Headers),
            ("validate", Guard::Validation),
            ("celebrate", Guard::Validation),
            ("cors", Guard::Other),
            ("express.json", Guard::Other),
            ("CORSMiddleware", Guard::Other),
            ("SessionDep", Guard::Other),
            ("cookieParser", Guard::Other),
            ("UserAuthentication", Guard::Auth),
            ("SkipThrottle", Guard::Other),
            ("ThrottlerCategory", Guard::RateLimit),
        ] {
            assert_eq!(classify(name), g, "{name}");
        }
    }

    #[test]
    fn request_models_are_not_guards() {
        for name in [
            "GroupAdminUpdate",
            "CreateInviteToken",
            "LongLiveTokenIn",
            "RecipeShareTokenCreate",
            "UserOut",
            "TokenData",
        ] {
            assert!(is_request_model(name), "{name}");
        }
        for name in [
            "CurrentUser",
            "AdminDep",
            "TokenDep",
            "SignedIn",
            "get_current_user",
            "header:x_api_token",
            "Update",
        ] {
            assert!(!is_request_model(name), "{name}");
        }
    }

    #[test]
    fn paths() {
        assert!(is_admin_path("/api/admin/users"));
        assert!(!is_admin_path("/api/products/:sku"));
        assert!(is_login_path("/api/auth/login"));
        assert!(is_login_path("/login/access-token"));
        assert!(is_login_path("/users/sign-in"));
        assert!(is_login_path("/api/auth"));
        assert!(!is_login_path("/api/auth/register"));
        assert!(!is_login_path("/api/logins-report/:login"));
        assert!(!is_login_path("/api/products"));
    }
}
