use shipready_model::Project;

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Weak JWT configuration
    ///
    /// ## What it finds
    /// `jwt.sign` with no expiry (`expiresIn`, or `exp` in the payload), `jwt.verify` with no
    /// pinned `algorithms` (jsonwebtoken), PyJWT `jwt.encode` whose literal payload has no
    /// `exp`, and `jwt.decode(..., options={"verify_signature": False})` in production code.
    /// ## Why it matters
    /// A token without expiry is valid forever: one leaked token (a log line, a browser
    /// extension, a support ticket) is a permanent key to the account, and there is usually no
    /// revocation list. Not pinning the algorithm leaves the door open to algorithm-confusion
    /// attacks when keys or libraries change.
    /// ## Failure scenario
    /// A login token copied into a bug report two years ago still works: it has no `exp`, the
    /// secret was never rotated, and the ex-contractor who kept it reads customer orders.
    /// ## Examples
    /// ```ts bad
    /// import jwt from 'jsonwebtoken';
    /// export function issue(user: { id: number }) {
    ///   return jwt.sign({ sub: user.id }, process.env.JWT_SECRET as string);
    /// }
    /// ```
    /// ```ts good
    /// import jwt from 'jsonwebtoken';
    /// export function issue(user: { id: number }) {
    ///   return jwt.sign({ sub: user.id }, process.env.JWT_SECRET as string, { expiresIn: '15m' });
    /// }
    /// ```
    /// ## How to fix
    /// Give every token a short expiry (refresh tokens for long sessions), and pin the
    /// algorithm when verifying.
    /// ```ts fix
    /// jwt.verify(token, JWT_SECRET, { algorithms: ['HS256'] });
    /// ```
    /// ## Limitations
    /// Options passed through a variable or spread are not followed (the call is then not
    /// reported), nor are payloads built elsewhere. Go JWT libraries and revocation of
    /// long-lived tokens are not checked yet. `jwt.decode` used in place of `verify` in
    /// JavaScript is not reported (it is often used on purpose to read claims). A payload
    /// carrying its own time claim (`expiresAt`, `expires`, `iat`, `createdAt`) counts as
    /// expiring, as applications check it when verifying; whether they really do is not
    /// followed.
    /// ## References
    /// - RFC 8725 JSON Web Token Best Current Practices: https://www.rfc-editor.org/rfc/rfc8725
    pub WeakJwtConfiguration {
        code: "SEC011",
        slug: "weak-jwt-configuration",
        category: Security,
        severity: High,
        likelihood: Possible,
        effort_hours: 0.5,
    }
}

/// Whether a sign call's options or payload set an expiry: `expiresIn`, an `exp` claim, or a
/// claim the verifier can age the token by (`expiresAt`, `expires`, `iat`, `createdAt`).
fn has_expiry(options: &[String]) -> bool {
    options.iter().any(|o| {
        if matches!(o.as_str(), "expiresIn" | "exp") {
            return true;
        }
        let Some(claim) = o.strip_prefix("payload.") else {
            return false;
        };
        let claim = claim.to_ascii_lowercase().replace('_', "");
        claim.starts_with("exp") || matches!(claim.as_str(), "iat" | "issuedat" | "createdat")
    })
}

impl Rule for WeakJwtConfiguration {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for call in &project.facts.jwt_calls {
            if !project.is_production(call.span) {
                continue;
            }
            let has = |names: &[&str]| call.options.iter().any(|o| names.contains(&o.as_str()));
            let message = match call.op.as_str() {
                "sign" if !call.options_opaque && !has_expiry(&call.options) => {
                    format!("`{}` issues a token with no expiry", call.api)
                }
                "verify" if has(&["verify_signature=False"]) => {
                    format!("`{}` turns signature verification off", call.api)
                }
                "verify"
                    if !call.options_opaque
                        && !call.api.contains("jwt.decode")
                        && !has(&["algorithms"]) =>
                {
                    format!("`{}` does not pin `algorithms`", call.api)
                }
                _ => continue,
            };
            cx.finding(Self::META, call.span, message);
        }
    }
}
