use shipready_model::Project;

use super::boot::{BootIndex, settled_at_boot};
use super::env_lifecycle::{handled, is_runtime, is_shared_package, reads_by_component};
use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Env var read without default or startup check
    ///
    /// ## What it finds
    /// Environment variables a service or worker reads with no default, no fallback, and no
    /// validation anywhere: no env schema key (zod, envalid, joi, `@t3-oss/env`,
    /// class-validator), no pydantic `BaseSettings` field, no envconfig/caarlos0 struct tag,
    /// no explicit check of the value (`if (!process.env.X) throw`, `if not X:`,
    /// `if x == ""`, a must/require helper), and not a read that fails by itself
    /// (`os.environ["X"]`). One finding per variable and component, at its first read; the
    /// client it is handed to is shown when the read sits in the client's constructor.
    /// ## Why it matters
    /// A missing variable then starts the process happily: the value is `undefined`, `None`
    /// or `""`, and the failure shows up later, where the value is used: the first query,
    /// the first outbound call, the first signature. The deploy looks healthy, the rollout
    /// completes, and the old, working replicas are gone by the time a user hits the path.
    /// ## Failure scenario
    /// A new environment is created without `DATABASE_URL`. The api starts, passes its
    /// liveness probe and takes traffic; every request touching the database fails with a
    /// confusing connection error to `localhost:5432`, while a check at boot would have
    /// stopped the rollout with "DATABASE_URL is required".
    /// ## Examples
    /// ```ts bad
    /// import express from 'express';
    /// import { Pool } from 'pg';
    /// export const pool = new Pool({ connectionString: process.env.DATABASE_URL });
    /// const app = express();
    /// app.listen(3000);
    /// ```
    /// ```ts good
    /// import express from 'express';
    /// import { Pool } from 'pg';
    /// const url = process.env.DATABASE_URL;
    /// if (!url) throw new Error('DATABASE_URL is required');
    /// export const pool = new Pool({ connectionString: url });
    /// const app = express();
    /// app.listen(3000);
    /// ```
    /// ## How to fix
    /// Validate every variable once, at boot, and read the validated object everywhere else.
    /// ```ts fix
    /// import { z } from 'zod';
    /// export const env = z.object({
    ///   DATABASE_URL: z.string().url(),
    ///   INVENTORY_API_KEY: z.string().min(1),
    /// }).parse(process.env);
    /// ```
    /// ```py fix
    /// class Settings(BaseSettings):
    ///     inventory_api_key: str          # no default: Settings() fails at import
    /// ```
    /// ## Limitations
    /// A check is recognised by name: a test of the read itself or of the variable it is
    /// assigned to in the same file, or of an upper-case constant of the same name anywhere
    /// (`if (!INVENTORY_API_KEY)`). A check of a lower-case config field in another file
    /// (`if (!config.apiKey)`) is not followed, and reads through a library that validates
    /// on its own (viper, django-environ) are not env reads here. Only service and worker
    /// components are checked (not CLIs, load tests, examples, nor shared packages under
    /// `libs/` or `packages/`, whose config getters run in apps that may check the values);
    /// platform variables (`NODE_ENV`, `PORT`, `HOSTNAME`...) are left out, and so are names
    /// that do not say the service needs them (only connections and credentials are
    /// reported: `*_URL`, `*_HOST`, `*_KEY`, `*_SECRET`, `*_TOKEN`, `DATABASE*`...; telemetry
    /// and debug switches, bind addresses and SDK endpoint overrides are not).
    /// Reads that fail or are settled at boot are not reported: a value handed straight to a
    /// constructor or connect call that runs at boot (module level, or a function such as
    /// `main`, `create_app`, `init*`, `connect*`) in Python or JS (`ContactsDb(os.environ.get(
    /// "URI"))`, `Anthropic(api_key=KEY)`, `mongoose.connect(process.env.URI)`; not a value
    /// inside an options object such as `new Pool({ connectionString })`, and not in Go,
    /// where a missing value is a valid `""`), a value passed to a function of the component
    /// that tests that parameter (`NewRepo(uri, user)` with `if user == ""`), a `switch` on
    /// the value, settings of a Django settings module or a Flask config class (the code using
    /// the setting decides whether it is optional, and is not followed), arguments of calls
    /// at the module level of a one-shot Python script (no routes, no server, imported by no
    /// file), and a whole TSX prop value without `!` (`mcpUrl={process.env.MCP_URL}`: the
    /// prop's type accepts `undefined`). Whether a boot-time constructor really parses its
    /// argument is not checked: a lazy client built at boot from a missing value
    /// (`redis.Redis(host=None)`) is missed.
    pub EnvVarNotValidatedAtStartup {
        code: "CFG001",
        slug: "env-var-not-validated-at-startup",
        category: Configuration,
        severity: High,
        likelihood: Possible,
        effort_hours: 1.0,
    }
}

impl Rule for EnvVarNotValidatedAtStartup {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let handled = handled(project);
        let boot = BootIndex::new(project);
        for (component, reads) in reads_by_component(project) {
            // A shared package's config getters run in apps that may check the values.
            if !is_runtime(project, component) || is_shared_package(project, component) {
                continue;
            }
            let mut strength = None;
            for (name, list) in reads {
                if vocab::is_platform_env_var(name) || !vocab::is_required_env_name(name) {
                    continue;
                }
                let by_schema =
                    list.iter().any(|r| r.accessor == "pydantic-settings")
                        || project.facts.env_checks.iter().any(|c| {
                            c.name == name && (c.how == "schema" || c.how == "struct-tag")
                        });
                if by_schema {
                    strength.get_or_insert(list[0].span);
                }
                let safe = by_schema
                    || handled.contains(name)
                    || list
                        .iter()
                        .any(|r| r.default.is_some() || !r.fallback_vars.is_empty() || r.required)
                    || list.iter().any(|r| opened_directly(project, r.span))
                    || list.iter().any(|r| settled_at_boot(project, &boot, r));
                if safe {
                    continue;
                }
                let first = list[0];
                let client = project
                    .facts
                    .data_clients
                    .iter()
                    .find(|c| c.span.contains(&first.span));
                let message = match client {
                    Some(c) => format!(
                        "`{name}` has no default and no startup check: `{}` fails at first use, not at boot",
                        c.constructor
                    ),
                    None => format!(
                        "`{name}` has no default and no startup check: a missing value fails at first use"
                    ),
                };
                let f = cx.finding(Self::META, first.span, message);
                if let Some(c) = client {
                    f.related(c.span, format!("handed to `{}` here", c.constructor));
                }
                for r in list.iter().skip(1).take(3) {
                    f.related(r.span, format!("`{name}` also read here"));
                }
            }
            if let Some(span) = strength {
                cx.strength(
                    Self::META,
                    span,
                    format!(
                        "`{}` validates env vars at startup (schema or settings class)",
                        project.component(component).name
                    ),
                );
            }
        }
    }
}

/// Whether the read is the path argument of a file open (`open(os.environ.get("KEY_PATH"))`,
/// `fs.readFileSync(process.env.KEY_PATH)`): a missing value raises right there, like
/// `os.environ["X"]`.
fn opened_directly(project: &Project, read: shipready_model::Span) -> bool {
    let Some(text) = project.file(read.file).text.as_deref() else {
        return false;
    };
    let start = read.start as usize;
    let mut from = start.saturating_sub(40);
    while from < start && !text.is_char_boundary(from) {
        from += 1;
    }
    let Some(before) = text.get(from..start) else {
        return false;
    };
    let before = before.trim_end();
    ["open(", "readFileSync("].iter().any(|f| {
        before.strip_suffix(f).is_some_and(|rest| {
            // `open(` itself, not `reopen(`; `fs.readFileSync(` is fine.
            !rest.ends_with(|c: char| c.is_alphanumeric() || c == '_') || f.starts_with('r')
        })
    })
}
