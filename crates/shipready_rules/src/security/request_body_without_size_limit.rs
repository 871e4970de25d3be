use shipready_model::Project;

use super::chain;
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Request body without a size limit
    ///
    /// ## What it finds
    /// Body parsers given a very large limit (above 10 MB: `express.json({ limit: '50mb' })`,
    /// `bodyParser.urlencoded({ limit })`), upload parsers with no default cap (`multer`
    /// without `limits.fileSize`), and Go handlers decoding or reading `r.Body` with no
    /// `http.MaxBytesReader`/`io.LimitReader` in the same function. Express's default 100 kB
    /// cap is fine: `express.json()` with no options is not reported.
    /// ## Why it matters
    /// The server buffers whatever the client sends. A few concurrent requests with large
    /// bodies fill the memory of the process, and JSON parsing of a huge body blocks the event
    /// loop for every other request.
    /// ## Failure scenario
    /// A client sends twenty 500 MB uploads to `POST /avatar`; multer writes them to the
    /// container's disk until it is full, and every pod on the node is evicted.
    /// ## Examples
    /// ```js bad
    /// const express = require('express');
    /// const app = express();
    /// app.use(express.json({ limit: '50mb' }));
    /// ```
    /// ```js good
    /// const express = require('express');
    /// const app = express();
    /// app.use(express.json({ limit: '1mb' }));
    /// ```
    /// ## How to fix
    /// Cap every body at what the route needs; stream large uploads to object storage with a
    /// size limit instead of buffering them.
    /// ```ts fix
    /// router.post('/avatar', express.raw({ type: 'image/*', limit: '2mb' }), saveAvatar);
    /// ```
    /// ```go fix
    /// r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
    /// if err := json.NewDecoder(r.Body).Decode(&req); err != nil { ... }
    /// ```
    /// ## Limitations
    /// Caps set by a reverse proxy (`client_max_body_size`) or an ingress are not seen.
    /// gin/echo binding (`c.ShouldBindJSON`) and Python frameworks are not checked yet. A Go
    /// service wrapping its handler in `http.MaxBytesHandler` is not reported. Limits held in
    /// variables are not followed.
    /// ## References
    /// - OWASP API4:2023 Unrestricted Resource Consumption: https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/
    pub RequestBodyWithoutSizeLimit {
        code: "SEC006",
        slug: "request-body-without-size-limit",
        category: Security,
        severity: High,
        likelihood: Possible,
        effort_hours: 0.5,
    }
}

/// Caps above this many bytes are reported.
const MAX_BYTES: u64 = 10 * 1024 * 1024;

impl Rule for RequestBodyWithoutSizeLimit {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for b in &project.facts.body_reads {
            if !project.is_production(b.span) {
                continue;
            }
            let message = if b.unbounded {
                let comp = project.file(b.span.file).component;
                if chain::component_text_contains(
                    project,
                    comp,
                    &["MaxBytesHandler", "RequestSizeLimiter", "BodyLimit("],
                ) {
                    continue;
                }
                if b.api == "multer" || b.api == "Multer" {
                    format!(
                        "`{}` accepts uploads of any size (no `limits.fileSize`)",
                        b.api
                    )
                } else {
                    format!("`{}` reads the request body with no size cap", b.api)
                }
            } else if let (Some(bytes), Some(limit)) = (b.limit_bytes, &b.limit) {
                let limit = limit.trim_matches(['\'', '"', '`']);
                if bytes <= MAX_BYTES {
                    cx.strength(
                        Self::META,
                        b.span,
                        format!("`{}` caps bodies at `{limit}`", b.api),
                    );
                    continue;
                }
                format!("`{}` accepts bodies up to `{limit}`", b.api)
            } else {
                continue;
            };
            cx.finding(Self::META, b.span, message);
        }
    }
}
