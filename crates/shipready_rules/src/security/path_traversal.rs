use shipready_model::{FlowSink, Project};

use super::input_flow::report_request_flows;
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Request input used as a file path
    ///
    /// ## What it finds
    /// Request input (query, path parameters, body, headers, cookies, uploaded file names,
    /// FastAPI/Flask handler parameters, Go `c.Param`/`r.URL.Query()`/decoded bodies) that
    /// reaches a file path: `fs.readFile`, `createReadStream`, `unlink`, `writeFile`,
    /// Express `res.sendFile`/`res.download`, Python `open`, `send_file`, `FileResponse`,
    /// `os.remove`, `Path(...).read_text`, Go `os.Open`/`os.ReadFile`/`http.ServeFile`, gin
    /// and echo `c.File`, with no normalisation and containment check on the way.
    /// ## Why it matters
    /// A name such as `../../etc/passwd` or `..%2f..%2f.env` walks out of the intended
    /// folder: the service hands out its own secrets, source and credentials, or deletes and
    /// overwrites files it can reach. `path.join` and `os.path.join` do not stop `..`, and an
    /// absolute second argument replaces the base entirely in Python.
    /// ## Failure scenario
    /// `GET /invoices/download?file=../../app/.env` returns the production environment file
    /// with the database password and the payment provider's API key.
    /// ## Examples
    /// ```js bad
    /// const express = require('express');
    /// const path = require('path');
    /// const app = express();
    /// app.get('/files', (req, res) => {
    ///   res.sendFile(path.join('/srv/files', req.query.name));
    /// });
    /// ```
    /// ```js good
    /// const express = require('express');
    /// const app = express();
    /// app.get('/files', (req, res) => {
    ///   res.sendFile(req.query.name, { root: '/srv/files' });
    /// });
    /// ```
    /// ```py bad
    /// from fastapi import FastAPI
    /// from fastapi.responses import FileResponse
    /// import os
    /// app = FastAPI()
    /// @app.get("/files/{name:path}")
    /// def get_file(name: str):
    ///     return FileResponse(os.path.join("/srv/files", name))
    /// ```
    /// ```py good
    /// from fastapi import FastAPI, HTTPException
    /// from fastapi.responses import FileResponse
    /// import os
    /// app = FastAPI()
    /// BASE = "/srv/files"
    /// @app.get("/files/{name:path}")
    /// def get_file(name: str):
    ///     full = os.path.realpath(os.path.join(BASE, name))
    ///     if os.path.commonpath([full, BASE]) != BASE:
    ///         raise HTTPException(status_code=400)
    ///     return FileResponse(full)
    /// ```
    /// ```go bad
    /// package main
    ///
    /// import (
    /// 	"net/http"
    /// 	"path/filepath"
    /// )
    ///
    /// func download(w http.ResponseWriter, r *http.Request) {
    /// 	http.ServeFile(w, r, filepath.Join("/srv/files", r.URL.Query().Get("file")))
    /// }
    /// ```
    /// ```go good
    /// package main
    ///
    /// import (
    /// 	"net/http"
    /// 	"path/filepath"
    /// )
    ///
    /// func download(w http.ResponseWriter, r *http.Request) {
    /// 	http.ServeFile(w, r, filepath.Join("/srv/files", filepath.Base(r.URL.Query().Get("file"))))
    /// }
    /// ```
    /// ## How to fix
    /// Resolve the full path, then check it is still inside the base folder; or keep only
    /// the base name; or let the framework do it (`res.sendFile(name, { root })`,
    /// `send_from_directory`).
    /// ```ts fix
    /// const full = path.resolve(BASE, req.query.file as string);
    /// if (!full.startsWith(BASE + path.sep)) return res.status(400).end();
    /// res.sendFile(full);
    /// ```
    /// ```go fix
    /// p := filepath.Join(baseDir, name)
    /// if rel, err := filepath.Rel(baseDir, p); err != nil || strings.HasPrefix(rel, "..") {
    /// 	http.Error(w, "bad path", http.StatusBadRequest)
    /// 	return
    /// }
    /// ```
    /// ## Limitations
    /// Intra-procedural: input is followed inside one function (nested callbacks included)
    /// through local variables, destructuring, template strings, f-strings, `+`,
    /// `path.join`/`os.path.join`/`filepath.Join` and string methods, and into or out of one
    /// level of same-file helper function; input passed to another file, stored in a field
    /// or read back from a database is not followed. A guard is any condition, `assert` or
    /// validator call in the function that mentions a variable of the flow with a check
    /// (`startsWith`, `commonpath`, `is_relative_to`, `strings.HasPrefix`, `filepath.Rel`,
    /// `filepath.IsLocal`, `..`, an allowlist lookup, a comparison, a regex); `basename`,
    /// `secure_filename` and `filepath.Base` end the flow. Whether the guard is correct is
    /// not judged. Path parameters matched as one URL segment (FastAPI `{name}`, Flask
    /// `<name>`, gin/echo `:name`, gorilla/chi `{name}`) cannot hold `/` and are not
    /// reported; catch-alls (`{name:path}`, `<path:name>`, gin `*name` on a func literal)
    /// and Express `req.params` (decoded after matching, so `..%2F` passes) are.
    /// ## References
    /// - OWASP path traversal: https://owasp.org/www-community/attacks/Path_Traversal
    /// - CWE-22: https://cwe.mitre.org/data/definitions/22.html
    pub PathTraversal {
        code: "SEC013",
        slug: "path-traversal",
        category: Security,
        severity: High,
        likelihood: Likely,
        effort_hours: 1.0,
    }
}

impl Rule for PathTraversal {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        report_request_flows(
            Self::META,
            project,
            cx,
            FlowSink::FilePath,
            |source, api| {
                format!(
                    "request input `{source}` reaches the file path of `{api}` with no containment check"
                )
            },
            |api| format!("file path from request input is checked before `{api}`"),
        );
    }
}
