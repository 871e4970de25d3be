use shipready_model::{ComponentKind, Lang, OutboundCall, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Outbound HTTP call without a timeout
    ///
    /// ## What it finds
    /// HTTP calls from services and workers with no timeout at the call or on the client they
    /// use: `requests.*` without `timeout=`, `urllib` without a timeout, `aiohttp` (whose
    /// default total timeout is five minutes), Node `fetch` without an `AbortSignal`, `axios`
    /// calls and instances without `timeout`, Go `http.Get`/`http.Post` (the default client
    /// has no timeout) and `http.Client{}` values without `Timeout`. `httpx` and `ky` have
    /// default timeouts and are not reported. Frontend code is not checked.
    /// ## Why it matters
    /// A call without a timeout waits as long as the other side keeps the connection open.
    /// When a dependency hangs, every request that reaches it holds a worker, a socket and
    /// memory until the caller is exhausted too: the outage spreads upstream.
    /// ## Failure scenario
    /// The inventory service stalls during a database failover. The api's calls to it have
    /// no timeout, so each checkout request waits forever, the api runs out of sockets and
    /// its health check fails: both services are down instead of one.
    /// ## Examples
    /// ```py bad
    /// import requests
    ///
    /// def stock(sku):
    ///     return requests.get(f"http://inventory/stock/{sku}").json()
    /// ```
    /// ```py good
    /// import requests
    ///
    /// def stock(sku):
    ///     return requests.get(f"http://inventory/stock/{sku}", timeout=5).json()
    /// ```
    /// ## How to fix
    /// Give every client a timeout once, shorter than the caller's own deadline.
    /// ```js fix
    /// const api = axios.create({ baseURL: INVENTORY_URL, timeout: 2000 });
    /// const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    /// ```
    /// ```go fix
    /// var client = &http.Client{Timeout: 5 * time.Second}
    /// resp, err := client.Get(url)
    /// ```
    /// ## Limitations
    /// A timeout set on a client built in another module, or through a context deadline set
    /// by a caller, is not seen; calls through such clients are not reported when the
    /// client's construction is not visible. Calls of SDKs (cloud, payment) are not checked.
    /// Browser code is not reported: frontends, and in components that also serve (Next.js)
    /// the calls whose URL names no other service (no absolute URL, `process.env` or
    /// upper-case configuration constant), which are taken for calls to the app's own API.
    /// ## References
    /// - requests, timeouts: https://requests.readthedocs.io/en/latest/user/advanced/#timeouts
    pub OutboundCallWithoutTimeout {
        code: "REL008",
        slug: "outbound-call-without-timeout",
        category: Reliability,
        severity: Medium,
        likelihood: Likely,
        effort_hours: 0.5,
    }
}

/// The URL as written, shortened for a message.
pub(crate) fn short_url(call: &OutboundCall) -> String {
    let url = if call.url.chars().count() <= 48 {
        &call.url
    } else {
        call.url_pattern.as_deref().unwrap_or(&call.url)
    };
    let url: String = url.split_whitespace().collect::<Vec<_>>().join(" ");
    let url = url.replace('`', "");
    if url.chars().count() > 48 {
        let cut: String = url.chars().take(45).collect();
        format!("{cut}...")
    } else {
        url
    }
}

/// Whether a URL names another service: an absolute URL, `process.env`, or an upper-case
/// configuration constant (`${SHIPPING_ADDR}/quote`). In a component that also ships browser
/// code (Next.js), only such calls are taken for server-to-server calls.
fn names_a_service(url: &str) -> bool {
    url.contains("http://")
        || url.contains("https://")
        || url.contains("process.env")
        || url
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|w| {
                w.len() >= 4
                    && w.contains('_')
                    && w.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            })
}

impl Rule for OutboundCallWithoutTimeout {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for call in &project.facts.outbound_calls {
            if call.has_timeout
                || !project.is_production(call.span)
                || project.component_of(call.span).kind == ComponentKind::Frontend
                || (vocab::is_browser_code(project, call.span) && !names_a_service(&call.url))
                // JSX/TSX files are UI code that runs in the browser.
                || matches!(project.file(call.span.file).lang, Lang::Tsx | Lang::Jsx)
            {
                continue;
            }
            let url = short_url(call);
            let message = if url.is_empty() {
                format!("`{}` call has no timeout", call.client)
            } else {
                format!("`{}` call to `{url}` has no timeout", call.client)
            };
            cx.finding(Self::META, call.span, message);
        }
    }
}
