//! Names the extractors of every language share.

/// Request parameters that carry a page size (`?limit=`, `page_size`, `perPage`...).
pub(crate) const PAGE_SIZE_PARAMS: &[&str] = &[
    "limit",
    "page_size",
    "pageSize",
    "per_page",
    "perPage",
    "size",
    "take",
    "max_results",
];

/// Words (lower-case) whose presence in a WebSocket connection, upgrade or middleware function
/// shows it checks who connects: a token, cookie, session, authorization header or a verify
/// call.
pub(crate) const WS_AUTH_WORDS: &[&str] = &[
    "token",
    "cookie",
    "session",
    "authoriz",
    "authenticat",
    "jwt",
    "verify",
    "auth",
    "apikey",
    "api_key",
    "credential",
    "request.user",
    "req.user",
    "principal",
];

/// Whether a function's text shows a credential check ([`WS_AUTH_WORDS`]).
pub(crate) fn mentions_ws_auth(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    WS_AUTH_WORDS.iter().any(|w| lower.contains(w))
}
