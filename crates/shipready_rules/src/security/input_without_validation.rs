use std::collections::BTreeMap;

use shipready_model::{ComponentId, Framework, Project, Route, Span};

use super::chain::{self, Guard};
use super::handler_text::{code_files, first_in_handler, handler_text, mentions_any};
use crate::vocab::{BODY_READS, VALIDATION_CALLS};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Input without validation
    ///
    /// ## What it finds
    /// Route handlers that read the request body (`req.body`, `request.json`, `request.form`,
    /// `request.get_json()`, `json.NewDecoder(r.Body)`, `c.ShouldBindJSON`, `c.BodyParser`...)
    /// with no schema validation: no validation middleware in the route's chain (`celebrate`,
    /// `validate(schema)`), no schema call in the handler (zod `.parse`/`.safeParse`, joi or yup
    /// `.validate`, express-validator `validationResult`, class-validator `validateOrReject`,
    /// pydantic `model_validate`, marshmallow `schema.load`, WTForms, go-playground
    /// `validate.Struct`, gin binding tags). Counted per service: one finding lists every
    /// unvalidated handler; a service that validates all of them is recorded as a strength.
    /// ## Why it matters
    /// Unvalidated bodies reach queries, business logic and logs with whatever type and size
    /// the caller chose: `{"quantity": -5}`, `{"email": {"$ne": null}}` or a 10 MB string are
    /// accepted, and type confusion turns into wrong prices, crashes or injection.
    /// ## Failure scenario
    /// A checkout handler reads `req.body.items` and trusts `quantity`; a caller sends
    /// `-3`, the total goes negative and the payment provider refunds the difference.
    /// ## Examples
    /// ```ts bad
    /// import express from 'express';
    /// const app = express();
    /// app.post('/api/orders', (req, res) => {
    ///   const { sku, quantity } = req.body;
    ///   res.json({ sku, quantity });
    /// });
    /// ```
    /// ```ts good
    /// import express from 'express';
    /// import { z } from 'zod';
    /// const app = express();
    /// const Order = z.object({ sku: z.string(), quantity: z.number().int().positive() });
    /// app.post('/api/orders', (req, res) => {
    ///   const { sku, quantity } = Order.parse(req.body);
    ///   res.json({ sku, quantity });
    /// });
    /// ```
    /// ## How to fix
    /// Parse every body through a schema at the edge (zod, joi, class-validator with a global
    /// `ValidationPipe`, pydantic models as FastAPI parameters, marshmallow, gin `binding`
    /// tags or go-playground/validator) and reject what does not match with a 400.
    /// ```py fix
    /// class Signup(BaseModel):
    ///     email: EmailStr
    ///     password: str = Field(min_length=8)
    /// ```
    /// ## Limitations
    /// Only bodies are counted (query strings and path parameters are not); a handler that
    /// hands the whole body to another function (`service.create(req.body)`) is not counted,
    /// since the callee may validate it. Handlers whose
    /// body is not visible (class methods, names whose import cannot be followed) are not
    /// counted. Checks written
    /// by hand (`typeof x !== 'string'`) do not count as validation. FastAPI handlers taking
    /// typed parameters are validated by construction and are not counted; NestJS handlers
    /// count as validated when the service uses `ValidationPipe`.
    /// ## References
    /// - OWASP Input Validation Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/Input_Validation_Cheat_Sheet.html
    pub InputWithoutValidation {
        code: "SEC015",
        slug: "input-without-validation",
        category: Security,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 4.0,
    }
}

/// Per component: validated handlers, and unvalidated ones with where they read the body.
type Tally<'p> = BTreeMap<ComponentId, (usize, Vec<(&'p Route, Span)>)>;

/// Whether the route's handler validates what it reads.
fn validated(project: &Project, route: &Route, body: &str, binding_tags: bool) -> bool {
    if chain::guards(project, route).contains(&Guard::Validation) {
        return true;
    }
    if mentions_any(body, VALIDATION_CALLS) {
        return true;
    }
    // gin/echo binding validates structs carrying `binding:`/`validate:` tags.
    binding_tags && (body.contains(".ShouldBind") || body.contains(".Bind"))
}

/// Per component: whether Go files use binding/validate struct tags, and NestJS uses a
/// `ValidationPipe`.
fn component_flags(project: &Project, comp: ComponentId) -> (bool, bool) {
    let mut tags = false;
    let mut pipe = false;
    for (_, t) in code_files(project, comp) {
        tags |= t.contains("binding:\"") || t.contains("validate:\"");
        pipe |= t.contains("ValidationPipe");
    }
    (tags, pipe)
}

impl Rule for InputWithoutValidation {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        // Per component: validated handlers, and unvalidated (route, read span).
        let mut per: Tally<'_> = BTreeMap::new();
        let mut flags: BTreeMap<ComponentId, (bool, bool)> = BTreeMap::new();
        // One handler registered for several methods (`methods=['GET', 'POST']`) counts once,
        // under its state-changing method.
        let mut handlers: Vec<&Route> = Vec::new();
        let mut index: BTreeMap<Span, usize> = BTreeMap::new();
        for route in chain::production_routes(project) {
            if let Some(&i) = index.get(&route.handler.span) {
                if !chain::is_mutation(&handlers[i].method) && chain::is_mutation(&route.method) {
                    handlers[i] = route;
                }
            } else {
                index.insert(route.handler.span, handlers.len());
                handlers.push(route);
            }
        }
        for route in handlers {
            let Some(body) = handler_text(project, route) else {
                continue;
            };
            let Some(read) = first_in_handler(project, route, BODY_READS) else {
                continue;
            };
            // The whole body handed to a call (`service.handle(req.body)`): the callee may
            // validate it, so the handler is not counted.
            let after = project
                .file(read.file)
                .text
                .as_deref()
                .and_then(|t| t.get(read.end as usize..))
                .map_or("", str::trim_start);
            let is_call = project.slice(read).is_some_and(|t| t.ends_with('('));
            let forwarded = !is_call && (after.starts_with(')') || after.starts_with(','));
            let comp = project.file(route.span.file).component;
            let (tags, pipe) = *flags
                .entry(comp)
                .or_insert_with(|| component_flags(project, comp));
            let entry = per.entry(comp).or_default();
            if (route.framework == Framework::Nest && pipe) || validated(project, route, body, tags)
            {
                entry.0 += 1;
            } else if !forwarded {
                entry.1.push((route, read));
            }
        }
        for (comp, (ok, missing)) in per {
            let name = &project.component(comp).name;
            let total = ok + missing.len();
            let Some(((first, at), rest)) = missing.split_first() else {
                if let Some(r) = project.facts.routes.iter().find(|r| {
                    project.file(r.span.file).component == comp && project.is_production(r.span)
                }) {
                    cx.strength(
                        Self::META,
                        r.span,
                        format!("`{name}` validates the body in all {ok} handlers that read one"),
                    );
                }
                continue;
            };
            let f = cx.finding(
                Self::META,
                *at,
                format!(
                    "`{name}`: {} of {total} handlers read the body with no validation \
                     (`{} {}` first)",
                    missing.len(),
                    first.method,
                    first.full_path
                ),
            );
            for (r, s) in rest {
                f.related(
                    *s,
                    format!("`{} {}` reads the body unvalidated", r.method, r.full_path),
                );
            }
        }
    }
}
