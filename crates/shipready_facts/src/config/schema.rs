//! Schema sources found by a conservative text scan (the code extractors belong to the
//! language modules; this scan only needs a few fixed shapes, line by line):
//!
//! - SQLAlchemy `__tablename__ = "x"` and `Table("x", metadata`; Django `class X(models.Model)`
//!   (`db_table` when set); TypeORM `@Entity("x")` / `@Entity()` + `class X`; Sequelize
//!   `sequelize.define("x"` and `tableName: "x"`;
//! - run-time schema creation: `metadata.create_all(` / `db.create_all(`, `sequelize.sync(`
//!   (`force: true` is destructive), TypeORM `synchronize: true`;
//! - `CREATE TABLE` statements of SQL migration files.
//!
//! Lines that start as comments are skipped; nothing spans lines except the TypeORM entity
//! (the decorator and the class within the next three lines).

use std::sync::LazyLock;

use regex::Regex;
use shipready_model::{Facts, FileRole, Lang, SchemaDef, SchemaSync};

use crate::FileCtx;

fn re(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|_| unreachable!())
}

static TABLENAME: LazyLock<Regex> =
    LazyLock::new(|| re(r#"^\s*__tablename__\s*=\s*["']([A-Za-z0-9_.]+)["']"#));
static SA_TABLE: LazyLock<Regex> =
    LazyLock::new(|| re(r#"\bTable\(\s*["']([A-Za-z0-9_]+)["']\s*,\s*\w*metadata"#));
static DJANGO_MODEL: LazyLock<Regex> =
    LazyLock::new(|| re(r"^class\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*(?:models\.)?Model\s*\)"));
static DJANGO_DB_TABLE: LazyLock<Regex> =
    LazyLock::new(|| re(r#"^\s+db_table\s*=\s*["']([A-Za-z0-9_]+)["']"#));
static CREATE_ALL: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:metadata|db|SQLModel\.metadata)\.create_all\s*\("));
static TYPEORM_ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"^\s*@Entity\(\s*(?:["']([A-Za-z0-9_]+)["']|\{[^}]*name\s*:\s*["']([A-Za-z0-9_]+)["'][^}]*\})?"#,
    )
});
static CLASS_NAME: LazyLock<Regex> = LazyLock::new(|| re(r"\bclass\s+([A-Za-z_][A-Za-z0-9_]*)"));
static SEQ_DEFINE: LazyLock<Regex> =
    LazyLock::new(|| re(r#"\b\w*\.define\(\s*["']([A-Za-z0-9_]+)["']\s*,\s*\{"#));
static SEQ_TABLENAME: LazyLock<Regex> =
    LazyLock::new(|| re(r#"\btableName\s*:\s*["']([A-Za-z0-9_]+)["']"#));
static SEQ_SYNC: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:sequelize|db|\w*[Ss]equelize)\.sync\s*\(([^)]*)\)?"));
static SYNCHRONIZE: LazyLock<Regex> = LazyLock::new(|| re(r"\bsynchronize\s*:\s*true\b"));
static CREATE_TABLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:[`"\[]?\w+[`"\]]?\.)?[`"\[]?([A-Za-z0-9_]+)[`"\]]?"#,
    )
});

fn is_comment(line: &str, lang: Lang) -> bool {
    let t = line.trim_start();
    match lang {
        Lang::Python => t.starts_with('#'),
        _ => t.starts_with("//") || t.starts_with('*') || t.starts_with("/*"),
    }
}

/// Scans one code file (production or script role) for schema definitions and run-time
/// schema creation.
pub(crate) fn scan_code(cx: &FileCtx<'_>, out: &mut Facts) {
    if cx.role == FileRole::Test || cx.role == FileRole::Doc {
        return;
    }
    let text = cx.text;
    let has = |s: &str| text.contains(s);
    let py = cx.lang == Lang::Python;
    let js = cx.lang.is_js_family();
    let interesting = (py
        && (has("__tablename__") || has("create_all") || has("Model)") || has("Table(")))
        || (js
            && (has("@Entity")
                || has("define(")
                || has("tableName")
                || has(".sync(")
                || has("synchronize")));
    if !interesting {
        return;
    }
    let lines: Vec<(usize, &str)> = line_offsets(text);
    let django = py && (has("from django.db import models") || has("django.db.models"));
    for (i, &(off, line)) in lines.iter().enumerate() {
        if is_comment(line, cx.lang) {
            continue;
        }
        let mut def = |start: usize, end: usize, source: &str, table: &str| {
            out.schema_defs.push(SchemaDef {
                span: cx.span_of(off + start, off + end),
                source: source.to_string(),
                table: table.to_ascii_lowercase(),
            });
        };
        if py {
            if let Some(c) = TABLENAME.captures(line)
                && let (Some(a), Some(t)) = (c.get(0), c.get(1))
            {
                let table = t.as_str().rsplit('.').next().unwrap_or(t.as_str());
                def(a.start(), a.end(), "sqlalchemy", table);
            }
            if let Some(c) = SA_TABLE.captures(line)
                && let (Some(a), Some(t)) = (c.get(0), c.get(1))
            {
                def(a.start(), a.end(), "sqlalchemy", t.as_str());
            }
            if django
                && let Some(c) = DJANGO_MODEL.captures(line)
                && let (Some(a), Some(n)) = (c.get(0), c.get(1))
            {
                // `db_table` in the class's Meta within the next 40 lines.
                let table = lines
                    .iter()
                    .skip(i + 1)
                    .take(40)
                    .take_while(|(_, l)| !l.starts_with("class "))
                    .find_map(|(_, l)| DJANGO_DB_TABLE.captures(l).and_then(|c| c.get(1)))
                    .map_or_else(|| n.as_str().to_string(), |m| m.as_str().to_string());
                def(a.start(), a.end(), "django", &table);
            }
            if let Some(m) = CREATE_ALL.find(line) {
                out.schema_syncs.push(SchemaSync {
                    span: cx.span_of(off + m.start(), off + m.end()),
                    api: "create_all".to_string(),
                    destructive: false,
                });
            }
        }
        if js {
            if let Some(c) = TYPEORM_ENTITY.captures(line)
                && let Some(a) = c.get(0)
            {
                let explicit = c
                    .get(1)
                    .or_else(|| c.get(2))
                    .map(|m| m.as_str().to_string());
                let class = lines
                    .iter()
                    .skip(i)
                    .take(4)
                    .find_map(|(_, l)| CLASS_NAME.captures(l).and_then(|c| c.get(1)))
                    .map(|m| m.as_str().to_string());
                if let Some(table) = explicit.or(class) {
                    def(a.start(), a.end(), "typeorm", &table);
                }
            }
            if let Some(c) = SEQ_DEFINE.captures(line)
                && let (Some(a), Some(t)) = (c.get(0), c.get(1))
                && text.contains("sequelize")
            {
                def(a.start(), a.end(), "sequelize", t.as_str());
            }
            if let Some(c) = SEQ_TABLENAME.captures(line)
                && let (Some(a), Some(t)) = (c.get(0), c.get(1))
                && text.contains("sequelize")
            {
                def(a.start(), a.end(), "sequelize", t.as_str());
            }
            if let Some(c) = SEQ_SYNC.captures(line)
                && let Some(a) = c.get(0)
            {
                // Options may continue on the next lines.
                let mut args = c.get(1).map_or("", |m| m.as_str()).to_string();
                for (_, l) in lines.iter().skip(i + 1).take(3) {
                    args.push_str(l);
                }
                let force = args.contains("force: true") || args.contains("force:true");
                let alter = args.contains("alter: true") || args.contains("alter:true");
                out.schema_syncs.push(SchemaSync {
                    span: cx.span_of(off + a.start(), off + a.end()),
                    api: if force {
                        "sync({ force: true })"
                    } else if alter {
                        "sync({ alter: true })"
                    } else {
                        "sync()"
                    }
                    .to_string(),
                    destructive: force,
                });
            }
            if let Some(m) = SYNCHRONIZE.find(line) {
                out.schema_syncs.push(SchemaSync {
                    span: cx.span_of(off + m.start(), off + m.end()),
                    api: "synchronize: true".to_string(),
                    destructive: false,
                });
            }
        }
    }
}

/// `CREATE TABLE` statements of a SQL migration file (comment lines skipped).
pub(crate) fn scan_sql(cx: &FileCtx<'_>, source: &str, out: &mut Facts) {
    for (off, line) in line_offsets(cx.text) {
        if line.trim_start().starts_with("--") {
            continue;
        }
        for c in CREATE_TABLE.captures_iter(line) {
            let (Some(a), Some(t)) = (c.get(0), c.get(1)) else {
                continue;
            };
            out.schema_defs.push(SchemaDef {
                span: cx.span_of(off + a.start(), off + a.end()),
                source: source.to_string(),
                table: t.as_str().to_ascii_lowercase(),
            });
        }
    }
}

fn line_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        out.push((off, line.trim_end_matches(['\n', '\r'])));
        off += line.len();
    }
    out
}
