use shipready_model::{FlowSink, Project};

use super::input_flow::report_request_flows;
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Request input chooses where the server sends a request
    ///
    /// ## What it finds
    /// Outbound HTTP calls (`fetch`, axios, got, `http.get`, requests, httpx, urllib, aiohttp,
    /// Go `http.Get`/`http.NewRequest`, `client.Do`...) whose URL starts with request input:
    /// the caller picks the scheme and host. Input used only in the path or query of a
    /// fixed host (`https://api.example.com/items/${id}`) is not reported.
    /// ## Why it matters
    /// The server sits inside the network: a URL from the caller reaches the cloud metadata
    /// endpoint (`169.254.169.254`, instance credentials), internal admin APIs, databases'
    /// HTTP ports and services that trust the internal network. The response, or its timing,
    /// leaks back to the caller.
    /// ## Failure scenario
    /// `POST /webhooks/test {"url": "http://169.254.169.254/latest/meta-data/iam/security-credentials/app"}`
    /// returns the instance role's temporary AWS keys in the "preview" of the response.
    /// ## Examples
    /// ```js bad
    /// const express = require('express');
    /// const axios = require('axios');
    /// const app = express();
    /// app.post('/preview', async (req, res) => {
    ///   const r = await axios.get(req.body.url, { timeout: 5000 });
    ///   res.send(r.data);
    /// });
    /// ```
    /// ```js good
    /// const express = require('express');
    /// const axios = require('axios');
    /// const app = express();
    /// const ALLOWED = new Set(['images.example.com']);
    /// app.post('/preview', async (req, res) => {
    ///   const url = new URL(req.body.url);
    ///   if (!ALLOWED.has(url.hostname)) return res.status(400).end();
    ///   const r = await axios.get(url.href, { timeout: 5000 });
    ///   res.send(r.data);
    /// });
    /// ```
    /// ```py bad
    /// import requests
    /// from fastapi import FastAPI
    /// app = FastAPI()
    /// @app.get("/fetch")
    /// def fetch(url: str):
    ///     return requests.get(url, timeout=5).text
    /// ```
    /// ```py good
    /// import requests
    /// from fastapi import FastAPI
    /// app = FastAPI()
    /// @app.get("/fetch")
    /// def fetch(item_id: str):
    ///     return requests.get(f"https://api.example.com/items/{item_id}", timeout=5).text
    /// ```
    /// ## How to fix
    /// Parse the URL and check its scheme and host against an allowlist before the call;
    /// resolve the host and refuse private, loopback and link-local addresses when any host
    /// must be allowed; do not follow redirects to other hosts.
    /// ```py fix
    /// parsed = urlparse(url)
    /// if parsed.scheme != "https" or parsed.hostname not in ALLOWED_HOSTS:
    ///     raise HTTPException(status_code=400)
    /// ```
    /// ## Limitations
    /// Intra-procedural: input is followed inside one function through local variables,
    /// string building, `new URL`, `urljoin`, `url.Parse` and one level of same-file helper
    /// function. Only URLs whose start (scheme and host) comes from input are reported. A
    /// guard is any condition or validator call mentioning a variable of the flow with a
    /// check (an allowlist lookup, `hostname`/`netloc` comparison, `startsWith`, a regex);
    /// whether the check is complete (redirects, DNS rebinding) is not judged. An SSRF-filtering
    /// agent or dispatcher passed with the call (a name containing `ssrf`, or
    /// `request-filtering-agent`) counts as a guard. Clients not
    /// recognised as outbound HTTP calls are not checked.
    /// ## References
    /// - OWASP SSRF prevention: https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
    /// - CWE-918: https://cwe.mitre.org/data/definitions/918.html
    pub ServerSideRequestForgery {
        code: "SEC024",
        slug: "server-side-request-forgery",
        category: Security,
        severity: High,
        likelihood: Possible,
        effort_hours: 1.0,
    }
}

impl Rule for ServerSideRequestForgery {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        report_request_flows(
            Self::META,
            project,
            cx,
            FlowSink::OutboundUrl,
            |source, api| {
                format!("request input `{source}` sets the URL host of `{api}` with no allowlist")
            },
            |api| format!("outbound URL from input is checked before `{api}`"),
        );
    }
}
