use shipready_model::{FileRole, Project, Span};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// No automated dependency updates
    ///
    /// ## What it finds
    /// Repositories with dependency manifests (`package.json`, `requirements.txt`,
    /// `pyproject.toml`, `go.mod`) and no Dependabot (`.github/dependabot.yml`) or Renovate
    /// (`renovate.json`, `.renovaterc*`, `.github/renovate.json`, a `renovate` key in
    /// `package.json`) configuration. One finding, at the first manifest; a configuration
    /// present is recorded as a strength.
    /// ## Why it matters
    /// Dependencies age silently: security fixes are never applied, and when an upgrade is
    /// finally forced (a CVE, an end-of-life runtime) it spans years of breaking changes.
    /// ## Failure scenario
    /// A critical advisory lands for the web framework; the fix is in a version three majors
    /// ahead, and the upgrade takes two weeks while the service stays exposed.
    /// ## Examples
    /// ```js bad
    /// const express = require('express');
    /// const app = express();
    /// app.listen(3000);
    /// ```
    /// ```tree good
    /// ==> .github/dependabot.yml <==
    /// version: 2
    /// updates:
    ///   - package-ecosystem: npm
    ///     directory: /
    ///     schedule: { interval: weekly }
    /// ```
    /// ## How to fix
    /// Add a Dependabot or Renovate configuration covering every ecosystem of the repository
    /// (npm, pip, gomod, docker, github-actions), grouped and scheduled so the pull requests
    /// stay reviewable.
    /// ```yaml fix
    /// version: 2
    /// updates:
    ///   - package-ecosystem: npm
    ///     directory: /api
    ///     schedule: { interval: weekly }
    ///   - package-ecosystem: github-actions
    ///     directory: /
    ///     schedule: { interval: monthly }
    /// ```
    /// ## Limitations
    /// Renovate configured centrally (an organisation preset, the hosted app's defaults) and
    /// other tools (Snyk, Mend) are not seen; `renovate.json5` is not read.
    /// ## References
    /// - Dependabot version updates: https://docs.github.com/en/code-security/dependabot/dependabot-version-updates
    pub NoDependencyUpdates {
        code: "CI004",
        slug: "no-dependency-updates",
        category: Delivery,
        severity: Low,
        likelihood: Likely,
        effort_hours: 0.5,
    }
}

impl Rule for NoDependencyUpdates {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        if let Some(c) = project.facts.dependency_update_configs.first() {
            cx.strength(
                Self::META,
                c.span,
                format!("dependency updates by {}", c.tool),
            );
            return;
        }
        let manifest = project
            .facts
            .dependencies
            .iter()
            .find(|d| project.file(d.span.file).role == FileRole::Source);
        if let Some(d) = manifest {
            let path = &project.file(d.span.file).path;
            cx.finding(
                Self::META,
                Span::file_start(d.span.file),
                format!("no Dependabot or Renovate configuration keeps `{path}` and the other manifests current"),
            );
        }
    }
}
