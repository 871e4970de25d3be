use shipready_model::Project;

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// WebSocket server without heartbeat
    ///
    /// ## What it finds
    /// `ws` WebSocket servers (`new WebSocketServer(...)`, `new WebSocket.Server(...)`) in
    /// files that never ping their clients or listen for `pong`, so dead connections are
    /// never detected. The message also says when there is no connection cap (`maxPayload`,
    /// `verifyClient`, a check of `wss.clients.size`). A server with a heartbeat is credited as
    /// a strength.
    /// ## Why it matters
    /// Clients that vanish without a close frame (a phone losing signal, a laptop lid closed,
    /// a proxy dropping idle connections) stay in `wss.clients` forever: memory grows, every
    /// broadcast writes to dead sockets, and the server slowly degrades until restarted.
    /// ## Failure scenario
    /// After a week in production the realtime feed holds 40,000 sockets for 2,000 real
    /// users; each stock update is serialised and written 40,000 times, event-loop lag climbs
    /// and the API served by the same process starts timing out.
    /// ## Examples
    /// ```js bad
    /// const { WebSocketServer } = require('ws');
    /// const wss = new WebSocketServer({ port: 8080 });
    /// wss.on('connection', (ws) => ws.send('hello'));
    /// ```
    /// ```js good
    /// const { WebSocketServer } = require('ws');
    /// const wss = new WebSocketServer({ port: 8080, maxPayload: 64 * 1024 });
    /// wss.on('connection', (ws) => {
    ///   ws.isAlive = true;
    ///   ws.on('pong', () => { ws.isAlive = true; });
    /// });
    /// setInterval(() => {
    ///   for (const ws of wss.clients) {
    ///     if (!ws.isAlive) { ws.terminate(); continue; }
    ///     ws.isAlive = false;
    ///     ws.ping();
    ///   }
    /// }, 30000);
    /// ```
    /// ## How to fix
    /// Ping every client on an interval, terminate those that did not answer the previous
    /// ping, cap the payload size and the number of connections per instance.
    /// ## Limitations
    /// Only the `ws` library is checked (socket.io has a built-in heartbeat). A heartbeat
    /// implemented in another file than the server's construction is not seen. Python and Go
    /// WebSocket servers are not checked yet.
    /// ## References
    /// - ws, how to detect and close broken connections: https://github.com/websockets/ws#how-to-detect-and-close-broken-connections
    pub WebsocketWithoutHeartbeat {
        code: "REL014",
        slug: "websocket-without-heartbeat",
        category: Reliability,
        severity: High,
        likelihood: Likely,
        effort_hours: 2.0,
    }
}

impl Rule for WebsocketWithoutHeartbeat {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for server in &project.facts.websocket_servers {
            if !project.is_production(server.span) {
                continue;
            }
            if server.has_heartbeat {
                cx.strength(
                    Self::META,
                    server.span,
                    format!("`{}` pings its clients", server.api),
                );
                continue;
            }
            let cap = if server.has_connection_cap {
                ""
            } else {
                " and no connection cap"
            };
            cx.finding(
                Self::META,
                server.span,
                format!(
                    "`{}` has no ping/pong heartbeat{cap}: dead connections pile up",
                    server.api
                ),
            );
        }
    }
}
