use shipready_model::Project;

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Debug output left in production code
    ///
    /// ## What it finds
    /// Debug leftovers that no flag, level or environment check turns off: JS `debugger;`
    /// statements, Python `breakpoint()` / `pdb.set_trace()`, and raw prints whose text
    /// starts with `DEBUG` (`console.log('DEBUG: ...')`, `print(f"DEBUG {x}")`,
    /// `fmt.Println("DEBUG", ...)`). Output under `if (process.env.DEBUG)`, `if
    /// settings.DEBUG:`, `if debug {` and leveled logger calls (`logger.debug`) is fine.
    /// ## Why it matters
    /// A `breakpoint()` left in a request path blocks the worker waiting on a terminal that
    /// does not exist; `debugger;` pauses a Node process started with an inspector; debug
    /// prints fill the logs with noise (and often with request data) at every call.
    /// ## Failure scenario
    /// A `breakpoint()` added while chasing a bug ships in a rarely used admin endpoint. The
    /// first call in production hangs the gunicorn worker on stdin; a few calls later every
    /// worker is stuck and the service stops answering.
    /// ## Examples
    /// ```js bad
    /// function price(order) {
    ///   console.log('DEBUG: pricing order', order);
    ///   return order.items.length * 10;
    /// }
    /// ```
    /// ```js good
    /// function price(order) {
    ///   if (process.env.DEBUG_PRICING) console.log('DEBUG: pricing order', order.id);
    ///   return order.items.length * 10;
    /// }
    /// ```
    /// ## How to fix
    /// Remove the leftover, or log through the leveled logger at `debug` level so the level
    /// setting decides.
    /// ```py fix
    /// logger.debug("pricing order %s", order.id)
    /// ```
    /// ```go fix
    /// slog.Debug("pricing order", "id", order.ID)
    /// ```
    /// ## Limitations
    /// Only prints that announce themselves as debug output (`DEBUG` at the start of the
    /// text) are reported; plain `console.log` leftovers are counted by OBS001 instead.
    /// A gate in a calling function, or a logger whose level is configured elsewhere, is not
    /// seen.
    pub DebugOutputUngated {
        code: "OBS008",
        slug: "debug-output-ungated",
        category: Observability,
        severity: Low,
        likelihood: Possible,
        effort_hours: 0.25,
    }
}

impl Rule for DebugOutputUngated {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for d in &project.facts.debug_outputs {
            if d.gated || !project.is_production(d.span) {
                continue;
            }
            let message = match d.kind.as_str() {
                "debugger" => "`debugger` statement left in production code".to_string(),
                "breakpoint" => format!("`{}()` left in production code", d.api),
                _ => format!("`{}` debug print not gated by a log level or flag", d.api),
            };
            cx.finding(Self::META, d.span, message);
        }
    }
}
