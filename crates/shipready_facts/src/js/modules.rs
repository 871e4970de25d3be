//! ES imports, `require`, ES exports and CommonJS exports.

use shipready_model::{Export, Facts, Framework, Import};
use tree_sitter::Node;

use super::syntax::{args, object_members, unwrap};
use super::{Imported, Js, module_matches};

/// The web framework a module specifier belongs to.
fn framework_of(module: &str) -> Option<Framework> {
    Some(match module {
        "express" => Framework::Express,
        "fastify" => Framework::Fastify,
        "koa" | "@koa/router" | "koa-router" => Framework::Koa,
        m if module_matches(m, "hono") || m.starts_with("@hono/") => Framework::Hono,
        m if m.starts_with("@nestjs/") => Framework::Nest,
        m if module_matches(m, "next") => Framework::Next,
        m if module_matches(m, "express") => Framework::Express,
        m if module_matches(m, "fastify") => Framework::Fastify,
        _ => return None,
    })
}

/// `require('m')` -> `m`.
pub(crate) fn require_module(js: &Js<'_, '_>, n: Node<'_>) -> Option<String> {
    let n = unwrap(n);
    if n.kind() != "call_expression" || js.callee_text(n) != "require" {
        return None;
    }
    js.str_lit(*args(n).first()?)
}

pub(crate) fn extract(js: &mut Js<'_, '_>, out: &mut Facts) {
    let mut imported: Vec<(Node<'_>, Imported)> = Vec::new();
    let mut modules_seen: Vec<String> = Vec::new();
    for &stmt in &js.import_stmts {
        let Some(source) = stmt.child_by_field_name("source") else {
            // `import x = require('y')` (TypeScript).
            let mut cursor = stmt.walk();
            for c in stmt.named_children(&mut cursor) {
                if c.kind() == "import_require_clause" {
                    let mut cc = c.walk();
                    let parts: Vec<Node<'_>> = c.named_children(&mut cc).collect();
                    if let (Some(id), Some(src)) = (parts.first(), parts.get(1))
                        && let Some(module) = js.str_lit(*src)
                    {
                        modules_seen.push(module.clone());
                        imported.push((
                            stmt,
                            Imported {
                                local: js.t(*id).to_string(),
                                module,
                                symbol: "default".to_string(),
                            },
                        ));
                    }
                }
            }
            continue;
        };
        let Some(module) = js.str_lit(source) else {
            continue;
        };
        modules_seen.push(module.clone());
        let mut cursor = stmt.walk();
        for clause in stmt.named_children(&mut cursor) {
            if clause.kind() != "import_clause" {
                continue;
            }
            let mut cc = clause.walk();
            for part in clause.named_children(&mut cc) {
                match part.kind() {
                    "identifier" => imported.push((
                        stmt,
                        Imported {
                            local: js.t(part).to_string(),
                            module: module.clone(),
                            symbol: "default".to_string(),
                        },
                    )),
                    "namespace_import" => {
                        if let Some(id) = part.named_child(0) {
                            imported.push((
                                stmt,
                                Imported {
                                    local: js.t(id).to_string(),
                                    module: module.clone(),
                                    symbol: "*".to_string(),
                                },
                            ));
                        }
                    }
                    "named_imports" => {
                        let mut sc = part.walk();
                        for spec in part.named_children(&mut sc) {
                            if spec.kind() != "import_specifier" {
                                continue;
                            }
                            let Some(name) = spec.child_by_field_name("name") else {
                                continue;
                            };
                            let symbol = js.str_lit(name).unwrap_or_else(|| js.t(name).to_string());
                            let local = spec
                                .child_by_field_name("alias")
                                .map_or_else(|| symbol.clone(), |a| js.t(a).to_string());
                            imported.push((
                                stmt,
                                Imported {
                                    local,
                                    module: module.clone(),
                                    symbol,
                                },
                            ));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    // `const x = require('m')`, `const { a, b: c } = require('m')`, `const y = require('m').y`.
    for &d in &js.declarators {
        let (Some(name), Some(value)) = (
            d.child_by_field_name("name"),
            d.child_by_field_name("value"),
        ) else {
            continue;
        };
        let value = unwrap(value);
        let (module, symbol) = if let Some(m) = require_module(js, value) {
            (m, None)
        } else if value.kind() == "member_expression"
            && let Some(obj) = value.child_by_field_name("object")
            && let Some(m) = require_module(js, obj)
            && let Some(prop) = value.child_by_field_name("property")
        {
            (m, Some(js.t(prop).to_string()))
        } else {
            continue;
        };
        match name.kind() {
            "identifier" => imported.push((
                d,
                Imported {
                    local: js.t(name).to_string(),
                    module,
                    symbol: symbol.unwrap_or_else(|| "default".to_string()),
                },
            )),
            "object_pattern" if symbol.is_none() => {
                for p in object_members(name) {
                    let (sym, local) = match p.kind() {
                        "shorthand_property_identifier_pattern" => {
                            (js.t(p).to_string(), js.t(p).to_string())
                        }
                        "pair_pattern" => {
                            let (Some(k), Some(v)) =
                                (p.child_by_field_name("key"), p.child_by_field_name("value"))
                            else {
                                continue;
                            };
                            if v.kind() != "identifier" {
                                continue;
                            }
                            let Some(k) = js.key_name(k) else { continue };
                            (k, js.t(v).to_string())
                        }
                        "object_assignment_pattern" => {
                            let Some(l) = p.child_by_field_name("left") else {
                                continue;
                            };
                            (js.t(l).to_string(), js.t(l).to_string())
                        }
                        _ => continue,
                    };
                    imported.push((
                        d,
                        Imported {
                            local,
                            module: module.clone(),
                            symbol: sym,
                        },
                    ));
                }
            }
            _ => {}
        }
    }
    // Any `require('m')` elsewhere still tells which frameworks the file uses.
    for &c in &js.calls {
        if let Some(m) = require_module(js, c) {
            modules_seen.push(m);
        }
    }
    for m in &modules_seen {
        if let Some(f) = framework_of(m) {
            js.frameworks.insert(f);
        }
    }
    imported.sort_by_key(|(n, _)| n.start_byte());
    for (n, imp) in &imported {
        out.imports.push(Import {
            span: js.cx.span(*n),
            local: imp.local.clone(),
            module: imp.module.clone(),
            symbol: imp.symbol.clone(),
            resolved: None,
        });
    }
    js.imports = imported.into_iter().map(|(_, i)| i).collect();
    exports(js, out);
    reexports(js, out);
}

/// The `{ name as alias }` specifiers of an export statement: (specifier, local, exported).
fn export_specifiers<'t>(js: &Js<'_, 't>, stmt: Node<'t>) -> Vec<(Node<'t>, String, String)> {
    let mut out = Vec::new();
    let mut c = stmt.walk();
    for clause in stmt.named_children(&mut c) {
        if clause.kind() != "export_clause" {
            continue;
        }
        let mut sc = clause.walk();
        for spec in clause.named_children(&mut sc) {
            if spec.kind() != "export_specifier" {
                continue;
            }
            let Some(name) = spec.child_by_field_name("name") else {
                continue;
            };
            let local = js.t(name).to_string();
            let exported = spec
                .child_by_field_name("alias")
                .map_or_else(|| local.clone(), |a| js.t(a).to_string());
            out.push((spec, local, exported));
        }
    }
    out
}

/// `export { default } from './documents'` and `export { default as users } from './users'`
/// (relative modules): an import named `reexport:<exported>`, so the linker follows a router
/// imported through an `index.ts` that re-exports it.
fn reexports(js: &Js<'_, '_>, out: &mut Facts) {
    for &stmt in &js.exports {
        let Some(module) = stmt
            .child_by_field_name("source")
            .and_then(|s| js.str_lit(s))
            .filter(|m| m.starts_with('.'))
        else {
            continue;
        };
        for (spec, local, exported) in export_specifiers(js, stmt) {
            out.imports.push(shipready_model::Import {
                span: js.cx.span(spec),
                local: format!("reexport:{exported}"),
                module: module.clone(),
                symbol: local,
                resolved: None,
            });
        }
    }
}

fn push_export(js: &Js<'_, '_>, out: &mut Facts, at: Node<'_>, local: &str, exported: &str) {
    out.exports.push(Export {
        span: js.cx.span(at),
        local: local.to_string(),
        exported: exported.to_string(),
    });
}

/// The name a function/class value declares, if any.
fn declared_name<'a>(js: &Js<'a, '_>, n: Node<'_>) -> Option<&'a str> {
    n.child_by_field_name("name").map(|x| js.t(x))
}

fn exports(js: &Js<'_, '_>, out: &mut Facts) {
    let mut found: Vec<(Node<'_>, String, String)> = Vec::new();
    for &stmt in &js.exports {
        let is_default = {
            let mut c = stmt.walk();
            stmt.children(&mut c).any(|x| x.kind() == "default")
        };
        if let Some(decl) = stmt.child_by_field_name("declaration") {
            match decl.kind() {
                "lexical_declaration" | "variable_declaration" => {
                    let mut c = decl.walk();
                    for d in decl.named_children(&mut c) {
                        if let Some(name) = js.declarator_name(d) {
                            found.push((stmt, name.to_string(), name.to_string()));
                        }
                    }
                }
                _ => {
                    let local = declared_name(js, decl).unwrap_or("default").to_string();
                    let exported = if is_default {
                        "default".to_string()
                    } else {
                        local.clone()
                    };
                    found.push((stmt, local, exported));
                }
            }
            continue;
        }
        if let Some(value) = stmt.child_by_field_name("value") {
            let v = unwrap(value);
            let local = match v.kind() {
                "identifier" => js.t(v).to_string(),
                _ => declared_name(js, v).unwrap_or("default").to_string(),
            };
            found.push((stmt, local, "default".to_string()));
            continue;
        }
        for (_, local, exported) in export_specifiers(js, stmt) {
            found.push((stmt, local, exported));
        }
    }
    // CommonJS: `module.exports = x`, `module.exports = { a, b: c }`, `exports.x = y`.
    for &a in &js.assignments {
        if a.kind() != "assignment_expression" {
            continue;
        }
        let (Some(left), Some(right)) = (
            a.child_by_field_name("left"),
            a.child_by_field_name("right"),
        ) else {
            continue;
        };
        let lt = js.compact(left);
        let right = unwrap(right);
        if lt == "module.exports" {
            match right.kind() {
                "identifier" => found.push((a, js.t(right).to_string(), "default".to_string())),
                "object" => {
                    for m in object_members(right) {
                        match m.kind() {
                            "shorthand_property_identifier" => {
                                found.push((a, js.t(m).to_string(), js.t(m).to_string()));
                            }
                            "pair" => {
                                if let (Some(k), Some(v)) =
                                    (m.child_by_field_name("key"), m.child_by_field_name("value"))
                                    && let Some(k) = js.key_name(k)
                                {
                                    let v = unwrap(v);
                                    let local = match v.kind() {
                                        "identifier" => js.t(v).to_string(),
                                        _ => declared_name(js, v).unwrap_or(&k).to_string(),
                                    };
                                    found.push((a, local, k));
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => {
                    if let Some(name) = declared_name(js, right) {
                        found.push((a, name.to_string(), "default".to_string()));
                    }
                }
            }
            continue;
        }
        let key = lt
            .strip_prefix("module.exports.")
            .or_else(|| lt.strip_prefix("exports."));
        if let Some(key) = key
            && !key.contains('.')
            && !key.is_empty()
        {
            let local = match right.kind() {
                "identifier" => js.t(right).to_string(),
                _ => declared_name(js, right).unwrap_or(key).to_string(),
            };
            found.push((a, local, key.to_string()));
        }
    }
    found.sort_by_key(|(n, _, _)| n.start_byte());
    for (n, local, exported) in found {
        push_export(js, out, n, &local, &exported);
    }
}
