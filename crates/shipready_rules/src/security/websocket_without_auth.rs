use shipready_model::Project;

use super::chain;
use super::handler_text::{handler_text, mentions_any};
use crate::vocab::WS_AUTH_WORDS;
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// WebSocket without authentication
    ///
    /// ## What it finds
    /// WebSocket endpoints that accept any connection: a `ws` server's `connection` handler
    /// with no `verifyClient` option, no credential-checking `upgrade` handler and no token,
    /// cookie or session read in the handler; a socket.io server or namespace with no `use()`
    /// middleware (socket.io runs `io.use` for the main namespace only: each namespace needs
    /// its own) and no credential read in its `connection` handler; a FastAPI/Starlette
    /// `@app.websocket` route with no auth dependency and no token or cookie read; a Go
    /// handler calling gorilla/websocket `Upgrade` (or `websocket.Accept`) with no auth
    /// middleware on its route and no credential read in the function.
    /// ## Why it matters
    /// A WebSocket is a long-lived authenticated channel only if the server checks who opens
    /// it. Browsers send cookies with cross-site WebSocket handshakes and do not apply CORS, so
    /// an unauthenticated endpoint is readable from any origin and by any script.
    /// ## Failure scenario
    /// The stock feed pushes every order's SKU and quantity; a competitor's script connects
    /// to `wss://shop.example.com/ws/stock` with no credentials and records the shop's sales
    /// in real time.
    /// ## Examples
    /// ```ts bad
    /// import { WebSocketServer } from 'ws';
    /// const wss = new WebSocketServer({ port: 8080 });
    /// wss.on('connection', (socket) => {
    ///   socket.send('hello');
    /// });
    /// ```
    /// ```ts good
    /// import { WebSocketServer } from 'ws';
    /// const wss = new WebSocketServer({ port: 8080, verifyClient: (info, done) => done(checkJwt(info.req)) });
    /// wss.on('connection', (socket) => {
    ///   socket.send('hello');
    /// });
    /// ```
    /// ## How to fix
    /// Authenticate the handshake: `verifyClient` or an `upgrade` handler for `ws`, an
    /// `io.use` (and `nsp.use` per namespace) middleware for socket.io, a dependency reading a
    /// token from the query or cookie for FastAPI, the route's auth middleware for Go; close
    /// the connection when the check fails.
    /// ```ts fix
    /// io.use((socket, next) => verifyToken(socket.handshake.auth.token).then(() => next(), next));
    /// ```
    /// ## Limitations
    /// Credential checks are recognised by words (`token`, `cookie`, `session`, `auth`,
    /// `verify`...) in the handler, middleware or upgrading function; a handler passed by name
    /// from another file, or middleware given as an imported variable, counts as possibly
    /// authenticated. Public broadcast feeds with nothing sensitive are reported too: suppress
    /// with a reason. Django Channels consumers are not checked.
    /// ## References
    /// - OWASP WebSocket Security Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/WebSocket_Security_Cheat_Sheet.html
    pub WebsocketWithoutAuth {
        code: "SEC012",
        slug: "websocket-without-auth",
        category: Security,
        severity: High,
        likelihood: Likely,
        effort_hours: 2.0,
    }
}

impl Rule for WebsocketWithoutAuth {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let f = &project.facts;
        for h in &f.websocket_handlers {
            if !project.is_production(h.span) {
                continue;
            }
            let where_ = h
                .path
                .as_deref()
                .map_or(String::new(), |p| format!(" on `{p}`"));
            if let Some(auth) = &h.auth {
                cx.strength(
                    Self::META,
                    h.span,
                    format!("the WebSocket{where_} is authenticated ({auth})"),
                );
                continue;
            }
            if h.opaque {
                continue;
            }
            // Go: the upgrading handler's route may carry auth middleware.
            let routed = f.routes.iter().any(|r| {
                r.handler.resolved
                    && r.handler.span.contains(&h.span)
                    && chain::is_authenticated(project, r)
            });
            if routed {
                continue;
            }
            let what = if h.api.ends_with(".on") {
                "`connection` handler"
            } else {
                "upgrade"
            };
            cx.finding(
                Self::META,
                h.span,
                format!("no token, cookie or session check in the WebSocket {what}{where_}"),
            );
        }
        for route in f.routes.iter().filter(|r| r.method == "WS") {
            if !project.is_production(route.span) {
                continue;
            }
            if chain::is_authenticated(project, route) {
                continue;
            }
            let Some(body) = handler_text(project, route) else {
                continue;
            };
            if mentions_any(body, WS_AUTH_WORDS) {
                continue;
            }
            cx.finding(
                Self::META,
                route.span,
                format!(
                    "no token, cookie or session check in the WebSocket route `{}`",
                    route.full_path
                ),
            );
        }
    }
}
