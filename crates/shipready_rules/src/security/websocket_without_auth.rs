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
    /// middleware on its route and no credential read in the function. Only services where
    /// callers sign in somewhere (an auth guard, an authenticated socket, a login route).
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
    /// import express from 'express';
    /// import { WebSocketServer } from 'ws';
    /// import { authenticate } from './auth';
    /// const app = express();
    /// app.get('/api/orders', authenticate, listOrders);
    /// const server = app.listen(8080);
    /// const wss = new WebSocketServer({ server, path: '/ws/orders' });
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
    /// authenticated. A service where nobody signs in at all (no auth or role guard, no
    /// authenticated socket, no login route) is not reported: its sockets are as public as its
    /// pages. Public broadcast feeds inside a service that has users are reported: suppress
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
            if h.opaque || !has_users(project, h.span) {
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
            if !project.is_production(route.span) || !has_users(project, route.span) {
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

/// Whether the service the socket lives in knows callers at all: some auth or role guard in
/// its chains, an authenticated WebSocket, or a login route. A service with none of these (a
/// public vote tally, an anonymous status feed) has no credential a socket could check; SEC018
/// reports an unauthenticated service as a whole.
fn has_users(project: &Project, span: shipready_model::Span) -> bool {
    let component = project.file(span.file).component;
    let in_comp = |s: shipready_model::Span| project.file(s.file).component == component;
    project
        .facts
        .websocket_handlers
        .iter()
        .any(|h| h.auth.is_some() && in_comp(h.span))
        || project.facts.routes.iter().any(|r| {
            r.method == "WS"
                && in_comp(r.span)
                && handler_text(project, r).is_some_and(|b| mentions_any(b, WS_AUTH_WORDS))
        })
        || chain::component_uses(project, component, chain::Guard::Auth)
        || chain::component_uses(project, component, chain::Guard::Role)
        || chain::production_routes(project)
            .any(|r| in_comp(r.span) && chain::is_login_path(&r.full_path))
}
