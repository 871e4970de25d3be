use shipready_model::Project;

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Error details sent to clients
    ///
    /// ## What it finds
    /// Responses that carry internal error text to the caller: Go `c.JSON(500, gin.H{"error":
    /// err.Error()})` and `http.Error(w, err.Error(), 500)`; Express `res.json({ stack:
    /// err.stack })` anywhere, or `err.message` with a 5xx status; FastAPI
    /// `HTTPException(status_code=500, detail=str(exc))` in an `except` block; and
    /// `FastAPI(debug=True)`, `Starlette(debug=True)` or `app.run(debug=True)` outside a
    /// `__main__` guard.
    /// ## Why it matters
    /// Database and library errors name tables, columns, hosts, file paths and sometimes
    /// values; stack traces name versions and code layout. Attackers use them to shape SQL
    /// injection and to pick known vulnerabilities, and users see noise instead of a message.
    /// ## Failure scenario
    /// A malformed SKU triggers `pq: invalid input syntax for type uuid` with the query text
    /// in the response; the caller learns the schema and iterates on an injection payload
    /// using the error text as an oracle.
    /// ## Examples
    /// ```go bad
    /// package main
    ///
    /// import "net/http"
    ///
    /// func handle(w http.ResponseWriter, r *http.Request) {
    /// 	if err := load(); err != nil {
    /// 		http.Error(w, err.Error(), http.StatusInternalServerError)
    /// 	}
    /// }
    ///
    /// func load() error { return nil }
    /// ```
    /// ```go good
    /// package main
    ///
    /// import (
    /// 	"log"
    /// 	"net/http"
    /// )
    ///
    /// func handle(w http.ResponseWriter, r *http.Request) {
    /// 	if err := load(); err != nil {
    /// 		log.Printf("load: %v", err)
    /// 		http.Error(w, "internal error", http.StatusInternalServerError)
    /// 	}
    /// }
    ///
    /// func load() error { return nil }
    /// ```
    /// ## How to fix
    /// Log the error with a request id server-side; answer with a generic message and the
    /// request id. Keep 4xx messages for what the caller did wrong.
    /// ```ts fix
    /// app.use((err, req, res, next) => {
    ///   logger.error({ err, reqId: req.id });
    ///   res.status(500).json({ error: 'internal error', requestId: req.id });
    /// });
    /// ```
    /// ## Limitations
    /// Only error text placed directly in the response call is seen, not a variable built
    /// from it earlier. 4xx answers carrying `err.Error()` (binding errors) are not reported.
    /// Express bodies guarded by `NODE_ENV`/`development` are taken as debug aids. Django
    /// `DEBUG = True` is not checked.
    /// ## References
    /// - OWASP Improper Error Handling: https://owasp.org/www-community/Improper_Error_Handling
    pub ErrorDetailsLeak {
        code: "SEC010",
        slug: "error-details-leak",
        category: Security,
        severity: High,
        likelihood: Possible,
        effort_hours: 0.5,
    }
}

impl Rule for ErrorDetailsLeak {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for e in &project.facts.error_exposures {
            if !project.is_production(e.span) {
                continue;
            }
            let message = if e.what == "debug" {
                format!("`{}` sends tracebacks to clients", e.api)
            } else {
                format!("`{}` sends `{}` to the client", e.api, e.what)
            };
            cx.finding(Self::META, e.span, message);
        }
    }
}
