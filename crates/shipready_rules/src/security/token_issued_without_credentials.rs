use shipready_model::Project;

use super::chain;
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Token issued without checking credentials
    ///
    /// ## What it finds
    /// A function that signs a JWT whose payload takes values from the request
    /// (`req.body.role`, destructured body fields) without any credential check in the same
    /// function: no password compare or verify, no OTP or refresh-token check, no
    /// already-authenticated user (`req.user`), and no production guard (`NODE_ENV`). Typical
    /// of demo or test "give me a token" endpoints left in the service.
    /// ## Why it matters
    /// Anyone can mint a valid token for any user or role: every other check in the service
    /// trusts that token. A single forgotten demo endpoint is a full authentication bypass.
    /// ## Failure scenario
    /// `POST /api/auth/demo-token` with `{"email": "ceo@shop.example", "role": "admin"}`
    /// returns a token signed with the production secret; the caller then uses the admin API.
    /// ## Examples
    /// ```ts bad
    /// import express from 'express';
    /// import jwt from 'jsonwebtoken';
    /// const app = express();
    /// app.post('/demo-token', (req, res) => {
    ///   const { email, role } = req.body;
    ///   res.json({ token: jwt.sign({ email, role }, process.env.JWT_SECRET, { expiresIn: '1h' }) });
    /// });
    /// ```
    /// ```ts good
    /// import express from 'express';
    /// import jwt from 'jsonwebtoken';
    /// import bcrypt from 'bcrypt';
    /// import { findUser } from './users';
    /// const app = express();
    /// app.post('/login', async (req, res) => {
    ///   const { email, password } = req.body;
    ///   const user = await findUser(email);
    ///   if (!user || !(await bcrypt.compare(password, user.hash))) return res.status(401).end();
    ///   res.json({ token: jwt.sign({ sub: user.id, role: user.role }, process.env.JWT_SECRET, { expiresIn: '1h' }) });
    /// });
    /// ```
    /// ## How to fix
    /// Delete demo token endpoints, or register them only outside production and never with
    /// the production secret. Take the role from the stored user, never from the request.
    /// ```ts fix
    /// if (process.env.NODE_ENV !== 'production') router.post('/demo-token', demoToken);
    /// ```
    /// ## Limitations
    /// JavaScript/TypeScript `jsonwebtoken` only. The credential check must be in the same
    /// function as the `sign` call, found by words (`compare`, `verify`, `password`, `otp`,
    /// `refresh`, `req.user`, `NODE_ENV`); a token signed in a helper called from a login
    /// handler is not reported. Routes whose chain already authenticates the caller are not
    /// reported.
    /// ## References
    /// - OWASP API2:2023 Broken Authentication: https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
    pub TokenIssuedWithoutCredentials {
        code: "SEC023",
        slug: "token-issued-without-credentials",
        category: Security,
        severity: Critical,
        likelihood: Likely,
        effort_hours: 0.5,
    }
}

impl Rule for TokenIssuedWithoutCredentials {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for call in &project.facts.jwt_calls {
            if call.op != "sign"
                || !call.payload_from_request
                || call.function_checks_credential
                || !project.is_production(call.span)
            {
                continue;
            }
            let route = call.function.and_then(|f| {
                project.facts.routes.iter().find(|r| {
                    r.handler.span.file == f.file
                        && r.handler.span.start <= f.start
                        && f.end <= r.handler.span.end
                })
            });
            if route.is_some_and(|r| chain::is_authenticated(project, r)) {
                continue;
            }
            let what = route.map_or_else(String::new, |r| {
                format!(" in `{} {}`", r.method, r.full_path)
            });
            let f = cx.finding(
                Self::META,
                call.span,
                format!(
                    "`{}`{what} signs a token from request fields without checking a credential",
                    call.api
                ),
            );
            if let Some(r) = route {
                f.related(r.span, "the route");
            }
        }
    }
}
