use shipready_model::Project;

use super::chain;
use super::handler_text::{component_mentions, handler_text, is_password_login};
use crate::vocab::{LOCKOUT_LIBRARIES, LOCKOUT_WORDS};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Login without lockout
    ///
    /// ## What it finds
    /// Login routes (`/login`, `/signin`, `/token`, `/login/access-token`...) whose handler
    /// checks a password itself while nothing in the service counts failed attempts or locks
    /// an account: no `failedAttempts`/`lockedUntil`/`max_login_attempts`-style state, no
    /// lockout library (express-brute, rate-limiter-flexible, django-axes, django-defender,
    /// Flask-Security).
    /// ## Why it matters
    /// A per-IP rate limit slows one attacker; a distributed guessing run against one account
    /// goes through it unnoticed. Counting failures per account (with a delay or a temporary
    /// lock after a few) is what stops password guessing spread over many addresses.
    /// ## Failure scenario
    /// A botnet of 5,000 addresses tries the 200 most common passwords against the admin's
    /// e-mail at two attempts per address per hour; the per-IP limiter never triggers and the
    /// account falls on the second day.
    /// ## Examples
    /// ```ts bad
    /// import express from 'express';
    /// import bcrypt from 'bcrypt';
    /// const app = express();
    /// app.post('/auth/login', async (req, res) => {
    ///   const user = await findUser(req.body.email);
    ///   if (!user || !(await bcrypt.compare(req.body.password, user.passwordHash))) {
    ///     return res.status(401).json({ error: 'invalid credentials' });
    ///   }
    ///   res.json({ ok: true });
    /// });
    /// ```
    /// ```ts good
    /// import express from 'express';
    /// import bcrypt from 'bcrypt';
    /// const app = express();
    /// app.post('/auth/login', async (req, res) => {
    ///   const user = await findUser(req.body.email);
    ///   if (user && user.lockedUntil > Date.now()) return res.status(429).end();
    ///   if (!user || !(await bcrypt.compare(req.body.password, user.passwordHash))) {
    ///     if (user) await recordFailedAttempt(user);
    ///     return res.status(401).json({ error: 'invalid credentials' });
    ///   }
    ///   res.json({ ok: true });
    /// });
    /// ```
    /// ## How to fix
    /// Count failed attempts per account; after a handful, delay answers or lock the account
    /// for a while (and alert), and reset the count on success. A library such as
    /// `rate-limiter-flexible` (consecutive failures by username and IP) or `django-axes` does
    /// this for you.
    /// ```py fix
    /// if user.failed_attempts >= 5 and user.locked_until > now():
    ///     raise HTTPException(status_code=429, detail="account temporarily locked")
    /// ```
    /// ## Limitations
    /// Only handlers whose body is visible and mentions a password are checked (a controller
    /// function of another file counts when its import can be followed); a login delegated to
    /// a class method, to passport or to an identity provider is not. Any lockout word anywhere in the service's production code counts as tracking,
    /// so a half-built lockout silences the rule. Lockout done by an identity provider or WAF
    /// is not seen: suppress with a reason naming it.
    /// ## References
    /// - OWASP Authentication Cheat Sheet, account lockout: https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#account-lockout
    pub LoginWithoutLockout {
        code: "SEC008",
        slug: "login-without-lockout",
        category: Security,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 3.0,
    }
}

impl Rule for LoginWithoutLockout {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for route in chain::production_routes(project) {
            // The handler checks a password itself (an `OAuth2PasswordRequestForm` dependency
            // reads like an auth guard, so the chain is not asked).
            if !is_password_login(route) {
                continue;
            }
            let Some(body) = handler_text(project, route) else {
                continue;
            };
            if !body.to_ascii_lowercase().contains("password") {
                continue;
            }
            let comp = project.file(route.span.file).component;
            if component_mentions(project, comp, LOCKOUT_WORDS)
                || chain::component_has_library(project, comp, LOCKOUT_LIBRARIES)
            {
                cx.strength(
                    Self::META,
                    route.span,
                    format!(
                        "`{} {}` tracks failed attempts",
                        route.method, route.full_path
                    ),
                );
                continue;
            }
            cx.finding(
                Self::META,
                route.span,
                format!(
                    "`{} {}` checks passwords with no per-account failed-attempt tracking or lockout",
                    route.method, route.full_path
                ),
            );
        }
    }
}
