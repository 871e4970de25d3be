use shipready_model::Project;

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// WebSocket client never reconnects
    ///
    /// ## What it finds
    /// `new WebSocket(url)` connections (browser or Node) whose close handler never opens the
    /// connection again (it only logs, or there is no close handler at all). A close handler
    /// that calls the function that opened the socket, a `*connect*`/`*retry*` function or
    /// `new WebSocket` again counts as reconnecting, as do reconnecting wrappers
    /// (`reconnecting-websocket`, `partysocket`, `sockette`).
    /// ## Why it matters
    /// WebSocket connections close all the time: deploys restart the server, load balancers
    /// cut idle connections, phones change networks. Without a reconnect the page silently
    /// stops updating until the user reloads it.
    /// ## Failure scenario
    /// Every deploy of the api drops the live stock feed. Customers keep seeing "in stock" for
    /// items sold out minutes ago and checkout fails for them, with no error on the page.
    /// ## Examples
    /// ```ts bad
    /// export function subscribe(onMessage: (data: string) => void) {
    ///   const ws = new WebSocket('wss://example.com/feed');
    ///   ws.onmessage = (e) => onMessage(e.data);
    ///   ws.onclose = () => console.log('feed closed');
    /// }
    /// ```
    /// ```ts good
    /// export function subscribe(onMessage: (data: string) => void, attempt = 0) {
    ///   const ws = new WebSocket('wss://example.com/feed');
    ///   ws.onopen = () => { attempt = 0; };
    ///   ws.onmessage = (e) => onMessage(e.data);
    ///   ws.onclose = () => {
    ///     const delay = Math.min(30000, 1000 * 2 ** attempt);
    ///     setTimeout(() => subscribe(onMessage, attempt + 1), delay);
    ///   };
    /// }
    /// ```
    /// ## How to fix
    /// Reconnect from the close handler with exponential backoff and jitter (reset after a
    /// successful open), stop when the component unmounts, and resynchronise state after
    /// reconnecting; or use a reconnecting wrapper.
    /// ## Limitations
    /// A socket handed to another function or module before its handlers are attached is not
    /// followed and not reported. Reconnection driven by state changes elsewhere (a React key
    /// bump) is recognised only when the called function's name says so.
    /// ## References
    /// - MDN, WebSocket close event: https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/close_event
    pub WebsocketClientWithoutReconnect {
        code: "REL015",
        slug: "websocket-client-without-reconnect",
        category: Reliability,
        severity: Medium,
        likelihood: Likely,
        effort_hours: 1.0,
    }
}

impl Rule for WebsocketClientWithoutReconnect {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for client in &project.facts.websocket_clients {
            if !project.is_production(client.span) || client.var.is_none() {
                continue;
            }
            if client.reconnects {
                cx.strength(
                    Self::META,
                    client.span,
                    format!("`{}` reconnects after a close", client.api),
                );
                continue;
            }
            match client.close_handler {
                Some(handler) => {
                    cx.finding(
                        Self::META,
                        client.span,
                        format!(
                            "`{}` is never reopened: its close handler does not reconnect",
                            client.api
                        ),
                    )
                    .related(handler, "close handler here");
                }
                None => {
                    cx.finding(
                        Self::META,
                        client.span,
                        format!(
                            "`{}` has no close handler: a dropped connection is never reopened",
                            client.api
                        ),
                    );
                }
            }
        }
    }
}
