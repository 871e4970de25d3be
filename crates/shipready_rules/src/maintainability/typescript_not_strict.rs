use shipready_model::{FileRole, Project, TsConfig};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// TypeScript not in strict mode
    ///
    /// ## What it finds
    /// `tsconfig.json` files whose effective `compilerOptions` (own, then inherited through
    /// `extends` inside the repository) do not turn on `strict`, or turn it on and then switch
    /// individual strict checks back off (`strictNullChecks: false`...). The message names the
    /// strict checks that are off. A config extending a package (`@tsconfig/node20`) that
    /// cannot be read is not judged; solution configs (`"files": []` with `references`) are
    /// skipped.
    /// ## Why it matters
    /// Without `strictNullChecks` every value may be `null` or `undefined` and the compiler
    /// says nothing; without `noImplicitAny` untyped parameters silently become `any`. Most
    /// "cannot read properties of undefined" crashes in production are exactly what strict
    /// mode catches at build time.
    /// ## Failure scenario
    /// `order.customer.email` compiles although `customer` is optional; orders placed by
    /// guests crash the confirmation-mail job at run time.
    /// ## Examples
    /// ```tree bad
    /// ==> tsconfig.json <==
    /// { "compilerOptions": { "target": "ES2021", "module": "commonjs" } }
    /// ```
    /// ```tree good
    /// ==> tsconfig.json <==
    /// { "compilerOptions": { "target": "ES2021", "module": "commonjs", "strict": true } }
    /// ```
    /// ## How to fix
    /// Turn on `strict` (fix the errors module by module, or turn on the checks one at a
    /// time), and keep it on in every config that extends the base.
    /// ```json fix
    /// { "compilerOptions": { "strict": true } }
    /// ```
    /// ## Limitations
    /// Only files named `tsconfig.json` are judged (build variants usually extend them);
    /// configs inherited from npm packages are not read.
    /// ## References
    /// - TypeScript, `strict`: https://www.typescriptlang.org/tsconfig#strict
    pub TypescriptNotStrict {
        code: "MNT001",
        slug: "typescript-not-strict",
        category: Maintainability,
        severity: Low,
        likelihood: Possible,
        effort_hours: 4.0,
    }
}

/// The checks `strict` turns on.
const STRICT_FAMILY: &[&str] = &[
    "noImplicitAny",
    "strictNullChecks",
    "strictFunctionTypes",
    "strictBindCallApply",
    "strictPropertyInitialization",
    "noImplicitThis",
    "useUnknownInCatchVariables",
    "alwaysStrict",
];

fn value<'a>(t: &'a TsConfig, name: &str) -> Option<&'a str> {
    t.options
        .iter()
        .find(|o| o.name == name)
        .map(|o| o.value.as_str())
}

impl Rule for TypescriptNotStrict {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for t in &project.facts.tsconfigs {
            let file = project.file(t.span.file);
            let name = file.path.rsplit('/').next().unwrap_or("");
            if name != "tsconfig.json" || file.role == FileRole::Test || !t.extends_resolved {
                continue;
            }
            let strict = value(t, "strict") == Some("true");
            let off: Vec<&str> = STRICT_FAMILY
                .iter()
                .copied()
                .filter(|flag| match value(t, flag) {
                    Some(v) => v != "true",
                    None => !strict,
                })
                .collect();
            if off.is_empty() {
                if strict {
                    cx.strength(Self::META, t.span, "TypeScript `strict` is on");
                }
                continue;
            }
            let shown: Vec<String> = off.iter().take(3).map(|f| format!("`{f}`")).collect();
            let more = if off.len() > 3 {
                format!(" and {} more", off.len() - 3)
            } else {
                String::new()
            };
            let msg = if strict {
                format!(
                    "`strict` is on but {}{more} {} switched off",
                    shown.join(", "),
                    if off.len() == 1 { "is" } else { "are" }
                )
            } else {
                format!("`strict` is off: no {}{more}", shown.join(", "))
            };
            cx.finding(Self::META, t.span, msg);
        }
    }
}
