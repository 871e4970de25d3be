//! Helpers over the text of route handlers and of a component's production code, for the
//! rules that look inside handlers (login lockout, validation, password policy, session
//! regeneration, WebSocket auth).

use shipready_model::{ComponentId, FileRole, Project, Route, SourceFile, Span};

/// The text of a route's handler, when its body could be seen: inline, a function of the
/// route's file, or a controller function of another file the linker resolved through the
/// imports (`router.post('/login', authController.login)`); its span then lies in that file.
pub fn handler_text<'p>(project: &'p Project, route: &Route) -> Option<&'p str> {
    if !route.handler.resolved {
        return None;
    }
    project.slice(route.handler.span)
}

/// Whether the handler only refuses the method (a short body answering 405, as for `DELETE`
/// on an endpoint that takes only `POST`): it changes nothing.
pub fn refuses_method(project: &Project, route: &Route) -> bool {
    handler_text(project, route).is_some_and(|t| {
        t.len() < 400
            && (t.contains("405")
                || mentions_any(
                    t,
                    &[
                        "methodnotallowed",
                        "method not allowed",
                        "method_not_allowed",
                    ],
                ))
    })
}

/// Whether the lower-cased `text` contains one of `words` (lower-case).
pub fn mentions_any(text: &str, words: &[&str]) -> bool {
    let lower = text.to_ascii_lowercase();
    words.iter().any(|w| lower.contains(w))
}

/// Production code files of a component, with their text.
pub fn code_files(
    project: &Project,
    component: ComponentId,
) -> impl Iterator<Item = (&SourceFile, &str)> {
    project
        .files
        .iter()
        .filter(move |f| f.component == component && f.role == FileRole::Source && f.lang.is_code())
        .filter_map(|f| f.text.as_deref().map(|t| (f, t)))
}

/// Whether a production code file of the component mentions one of `words` (lower-case).
pub fn component_mentions(project: &Project, component: ComponentId, words: &[&str]) -> bool {
    code_files(project, component).any(|(_, t)| mentions_any(t, words))
}

/// Whether the route is a login that takes a password: a login/sign-in/token path (not a
/// reset, OTP, refresh or OAuth callback) accepting a POST.
pub fn is_password_login(route: &Route) -> bool {
    if !matches!(route.method.as_str(), "POST" | "PUT" | "ANY")
        || !super::chain::is_login_path(&route.full_path)
    {
        return false;
    }
    let p = route.full_path.to_ascii_lowercase();
    ![
        "reset", "forgot", "recover", "otp", "mfa", "2fa", "refresh", "callback", "oauth", "magic",
        "verify", "logout", "sso", "saml", "oidc",
    ]
    .iter()
    .any(|w| p.contains(w))
}

/// The span of the first occurrence of one of `needles` (as written) in the route's handler.
pub fn first_in_handler(project: &Project, route: &Route, needles: &[&str]) -> Option<Span> {
    let text = handler_text(project, route)?;
    let (at, len) = needles
        .iter()
        .filter_map(|n| text.find(n).map(|i| (i, n.len())))
        .min_by_key(|(i, _)| *i)?;
    let h = route.handler.span;
    let start = h.start as usize + at;
    Some(Span::new(h.file, start, start + len))
}
