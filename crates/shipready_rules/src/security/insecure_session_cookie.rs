use shipready_model::{CookieSetting, Project};

use super::chain;
use super::handler_text::{component_mentions, handler_text, is_password_login};
use crate::vocab::AUTH_COOKIE_WORDS;
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Insecure session cookie
    ///
    /// ## What it finds
    /// Session and auth cookies sent without `Secure` or `HttpOnly`: express-session and
    /// cookie-session with no `cookie.secure` (both default to insecure), `res.cookie`,
    /// `reply.setCookie`, Flask/Starlette/Django `set_cookie` and Go `http.Cookie{}` / gin
    /// `c.SetCookie` for a cookie named like a session or token without `secure` or
    /// `httpOnly`, Starlette `SessionMiddleware` without `https_only=True`, and
    /// `SESSION_COOKIE_SECURE = False` / `SESSION_COOKIE_HTTPONLY = False` settings. Also
    /// login handlers that store the user in an express-session without
    /// `req.session.regenerate` (session fixation).
    /// ## Why it matters
    /// Without `Secure` the session id travels in clear over any plain-HTTP request (a
    /// captive portal, a mistyped `http://` link); without `HttpOnly` any injected script
    /// reads it. Keeping the pre-login session id after login lets an attacker who planted
    /// it ride the victim's session.
    /// ## Failure scenario
    /// A user on café Wi-Fi opens `http://shop.example.com`; the browser sends the session
    /// cookie before the redirect to HTTPS, and the person next to them replays it.
    /// ## Examples
    /// ```ts bad
    /// import session from 'express-session';
    /// import express from 'express';
    /// const app = express();
    /// app.use(session({ secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false }));
    /// ```
    /// ```ts good
    /// import session from 'express-session';
    /// import express from 'express';
    /// const app = express();
    /// app.use(session({
    ///   secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false,
    ///   cookie: { secure: true, httpOnly: true, sameSite: 'lax' },
    /// }));
    /// ```
    /// ## How to fix
    /// Set `secure: true` (behind a proxy, with `app.set('trust proxy', 1)`), keep `httpOnly`
    /// and set `sameSite: 'lax'` or stricter; regenerate the session id at login.
    /// ```py fix
    /// response.set_cookie("access_token", token, httponly=True, secure=True, samesite="lax")
    /// ```
    /// ## Limitations
    /// Cookies set by hand are checked only when their name is a literal that names a session
    /// or token (CSRF tokens, meant for scripts, are not), and an explicit `httpOnly: false`
    /// on them is taken as deliberate; Koa's `ctx.cookies.set` is secure on HTTPS requests
    /// by default; options given through a variable or spread are not judged. A `secure` value
    /// computed at run time (`NODE_ENV === 'production'`) counts as set. A missing `SameSite`
    /// alone is not reported (browsers default to `Lax`). Django and Flask defaults are
    /// reported only when a setting turns them off explicitly.
    /// ## References
    /// - OWASP Session Management Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#cookies
    pub InsecureSessionCookie {
        code: "SEC016",
        slug: "insecure-session-cookie",
        category: Security,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 0.5,
    }
}

/// Whether an attribute value is literally off.
fn is_off(v: &str) -> bool {
    matches!(v, "false" | "False" | "0" | "None" | "\"\"")
}

/// The value given for an attribute, when given.
fn value<'c>(c: &'c CookieSetting, attr: &str) -> Option<&'c str> {
    c.options
        .iter()
        .find(|(k, _)| k == attr)
        .map(|(_, v)| v.as_str())
}

/// What is wrong with a cookie setting, when anything.
fn problems(c: &CookieSetting) -> Vec<&'static str> {
    let mut out = Vec::new();
    let secure = value(c, "secure");
    let http_only = value(c, "httponly");
    // Flask/Django settings name one attribute each and default to safe values except SECURE.
    if c.api.starts_with("SESSION_COOKIE_") {
        if secure.is_some_and(is_off) {
            out.push("`Secure`");
        }
        if http_only.is_some_and(is_off) {
            out.push("`HttpOnly`");
        }
        return out;
    }
    if c.options_opaque {
        return out;
    }
    // Attributes that default to off unless given.
    // Koa's `ctx.cookies.set` defaults `httpOnly` on and `secure` to the request's protocol.
    let koa = c.api.ends_with("cookies.set");
    let http_only_default_on = c.kind == "session" || koa || c.api == "SessionMiddleware";
    match secure {
        Some(v) if is_off(v) => out.push("`Secure`"),
        None if !koa => out.push("`Secure`"),
        _ => {}
    }
    match http_only {
        // A cookie set by hand with `httpOnly: false` is meant to be read by scripts.
        Some(v) if is_off(v) && c.kind == "session" => out.push("`HttpOnly`"),
        None if !http_only_default_on => out.push("`HttpOnly`"),
        _ => {}
    }
    out
}

impl Rule for InsecureSessionCookie {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for c in &project.facts.cookie_settings {
            if !project.is_production(c.span) {
                continue;
            }
            if c.kind == "cookie" {
                let Some(name) = &c.name else { continue };
                let lower = name.to_ascii_lowercase();
                if !AUTH_COOKIE_WORDS.iter().any(|w| lower.contains(w))
                    || lower.contains("csrf")
                    || lower.contains("xsrf")
                {
                    continue;
                }
            }
            let missing = problems(c);
            let what = match (&c.name, c.kind.as_str()) {
                (Some(n), _) => format!("cookie `{n}`"),
                (None, "session") => "the session cookie".to_string(),
                (None, _) => "the cookie".to_string(),
            };
            if missing.is_empty() {
                cx.strength(
                    Self::META,
                    c.span,
                    format!("{what} is `Secure` and `HttpOnly`"),
                );
                continue;
            }
            cx.finding(
                Self::META,
                c.span,
                format!(
                    "{what} is sent without {} (`{}`)",
                    missing.join(" or "),
                    c.api
                ),
            );
        }
        // Session fixation: the user is put in an express-session at login with no new id.
        for route in chain::production_routes(project) {
            if !is_password_login(route) {
                continue;
            }
            let Some(body) = handler_text(project, route) else {
                continue;
            };
            let stores = body.match_indices("req.session.").any(|(i, m)| {
                let rest = body[i + m.len()..]
                    .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
                    .trim_start();
                rest.starts_with('=') && !rest.starts_with("==")
            });
            if !stores || body.contains("regenerate") {
                continue;
            }
            let comp = project.file(route.span.file).component;
            if component_mentions(project, comp, &["regenerate"]) {
                continue;
            }
            cx.finding(
                Self::META,
                route.span,
                format!(
                    "`{} {}` stores the user in the session without `req.session.regenerate`",
                    route.method, route.full_path
                ),
            );
        }
    }
}
