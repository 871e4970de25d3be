use shipready_model::{ComponentId, Project, Span};

use super::chain;
use super::handler_text::component_mentions;
use crate::vocab::{HTTPS_LIBRARIES, HTTPS_NEEDLES};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// HTTPS not enforced
    ///
    /// ## What it finds
    /// Browser-facing HTTP services (they configure CORS, cookies or sessions, or ship a
    /// frontend) that neither redirect to HTTPS nor send HSTS (no helmet, Talisman,
    /// `secure`/`unrolled/secure`, `express-sslify`, Django `SECURE_SSL_REDIRECT`/
    /// `SECURE_HSTS_SECONDS`, `HTTPSRedirectMiddleware`, `Strict-Transport-Security` set by
    /// hand, `x-forwarded-proto` redirect, TLS served by the app itself) while the repository
    /// holds no TLS-terminating proxy config either: no Ingress with `tls`, no cert-manager,
    /// ALB, GKE or Azure certificate annotation, no traefik TLS router, no Caddy, no nginx
    /// `ssl` listener, no Terraform HTTPS listener, no HTTPS-only platform config (`fly.toml`
    /// `force_https`, Vercel, Netlify, Render).
    /// ## Why it matters
    /// Without a redirect and HSTS, the first request of a visit can go over plain HTTP:
    /// anyone on the network path reads or rewrites it, strips the upgrade to HTTPS and
    /// collects the session cookie.
    /// ## Failure scenario
    /// A user types `shop.example.com`; the browser tries HTTP first, a rogue hotspot answers
    /// with a copy of the login page, and the password goes to the attacker.
    /// ## Examples
    /// ```ts bad
    /// import express from 'express';
    /// import cors from 'cors';
    /// const app = express();
    /// app.use(cors({ origin: ['https://shop.example.com'] }));
    /// app.get('/api/products', (req, res) => res.json([]));
    /// ```
    /// ```ts good
    /// import express from 'express';
    /// import cors from 'cors';
    /// import helmet from 'helmet';
    /// const app = express();
    /// app.use(helmet());
    /// app.use(cors({ origin: ['https://shop.example.com'] }));
    /// app.get('/api/products', (req, res) => res.json([]));
    /// ```
    /// ## How to fix
    /// Terminate TLS in front of the service and redirect HTTP to HTTPS there (an Ingress
    /// with `tls` and `ssl-redirect`), and send HSTS from the app (helmet, Talisman,
    /// `SECURE_HSTS_SECONDS`).
    /// ```yaml fix
    /// spec:
    ///   tls:
    ///     - hosts: [shop.example.com]
    ///       secretName: shop-tls
    /// ```
    /// ## Limitations
    /// TLS terminated by infrastructure not described in the repository (a cloud load balancer
    /// configured by hand, a CDN, a PaaS such as Heroku or Cloud Run) is not seen: suppress
    /// with a reason naming it. Any TLS-terminating config anywhere in the repository counts
    /// for every service. Internal services (no CORS, cookies, sessions or frontend) are not
    /// checked, nor JavaScript packages that only declare controllers or routers for others to
    /// mount (no application, no server start).
    /// ## References
    /// - OWASP HTTP Strict Transport Security Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Strict_Transport_Security_Cheat_Sheet.html
    pub HttpsNotEnforced {
        code: "SEC017",
        slug: "https-not-enforced",
        category: Security,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 1.0,
    }
}

/// Whether browsers call the service: CORS, cookies or sessions, a frontend.
fn browser_facing(project: &Project, comp: ComponentId) -> bool {
    let f = &project.facts;
    let in_comp = |s: Span| project.file(s.file).component == comp && project.is_production(s);
    project.component(comp).has_frontend
        || f.cors.iter().any(|c| in_comp(c.span))
        || f.cookie_settings.iter().any(|c| in_comp(c.span))
        || f.middleware_uses
            .iter()
            .filter(|u| in_comp(u.span))
            .flat_map(|u| u.middlewares.iter())
            .any(|m| {
                let n = m.name.to_ascii_lowercase();
                ["cookie", "session", "csrf"].iter().any(|w| n.contains(w))
            })
}

impl Rule for HttpsNotEnforced {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let services = chain::http_services(project);
        for &(comp, at) in &services {
            if !browser_facing(project, comp) {
                continue;
            }
            let name = &project.component(comp).name;
            // TLS config counts for its own component, or for all when it sits in a
            // component that serves nothing (a deploy or infra folder).
            let proxy = project.facts.tls_terminations.iter().find(|t| {
                let c = project.file(t.span.file).component;
                c == comp || !services.iter().any(|(s, _)| *s == c)
            });
            if let Some(t) = proxy {
                cx.strength(
                    Self::META,
                    t.span,
                    format!("TLS is terminated in front of `{name}` ({})", t.kind),
                );
                continue;
            }
            if chain::component_has_library(project, comp, HTTPS_LIBRARIES)
                || component_mentions(project, comp, HTTPS_NEEDLES)
            {
                cx.strength(
                    Self::META,
                    at,
                    format!("`{name}` enforces HTTPS or sends HSTS"),
                );
                continue;
            }
            cx.finding(
                Self::META,
                at,
                format!(
                    "`{name}` sends no HSTS, never redirects to HTTPS, and no TLS proxy config is \
                     in the repo"
                ),
            );
        }
    }
}
