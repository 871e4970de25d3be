use std::collections::BTreeMap;

use shipready_model::{FileRole, Project, SchemaDef, Span};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Same tables defined by several schema sources
    ///
    /// ## What it finds
    /// Tables defined by more than one schema source: two ORMs (a Prisma model and a
    /// SQLAlchemy model of the same table, TypeORM and Sequelize...), or an ORM that creates
    /// tables at run time (`create_all`, `sync`, `synchronize`) next to hand-written SQL
    /// migrations that also create them. Reported at the second definition, with the first
    /// as related. Also migration folders that hold no migration file, and migration folders
    /// that `.gitignore` hides while the CI pipeline runs migrations.
    /// A Prisma model and its own `prisma/migrations` SQL are one source.
    /// ## Why it matters
    /// Two sources of truth for one table drift apart: one adds a column or changes a type,
    /// the other keeps writing the old shape, and whichever runs last decides what production
    /// looks like.
    /// ## Failure scenario
    /// The API's SQL migration makes `products.price` a `NUMERIC(10,2)`; the worker's
    /// SQLAlchemy model declares a `Float` and `create_all` creates the table first on a fresh
    /// environment, so prices are stored as floats and totals stop adding up.
    /// ## Examples
    /// ```tree bad
    /// ==> migrations/001_init.sql <==
    /// CREATE TABLE products (sku TEXT PRIMARY KEY);
    /// ==> worker/models.py <==
    /// class Product(Base):
    ///     __tablename__ = "products"
    /// ==> worker/db.py <==
    /// Base.metadata.create_all(bind=engine)
    /// ```
    /// ```tree good
    /// ==> migrations/001_init.sql <==
    /// CREATE TABLE products (sku TEXT PRIMARY KEY);
    /// ==> worker/models.py <==
    /// class Product(Base):
    ///     __tablename__ = "products"
    /// ```
    /// ## How to fix
    /// Pick one owner of the schema (one migration tool) and make the other side map to the
    /// existing tables without creating them; drop run-time `create_all`/`sync`.
    /// ```py fix
    /// # models map existing tables; the schema comes from migrations/ only
    /// class Product(Base):
    ///     __tablename__ = "products"
    /// ```
    /// ## Limitations
    /// Tables are matched by name (a trailing `s` ignored for model names); schemas created
    /// by Alembic or Django migrations in Python are not read as SQL, and the text scan of
    /// models knows a few shapes only.
    /// ## References
    /// - Martin Fowler, evolutionary database design: https://martinfowler.com/articles/evodb.html
    pub MultipleSchemaSources {
        code: "DATA002",
        slug: "multiple-schema-sources",
        category: Data,
        severity: High,
        likelihood: Possible,
        effort_hours: 6.0,
    }
}

fn family(source: &str) -> &str {
    match source {
        "prisma-migration" => "prisma",
        other => other,
    }
}

fn key(table: &str) -> String {
    table.trim_end_matches('s').to_string()
}

impl Rule for MultipleSchemaSources {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let facts = &project.facts;
        let prod = |s: Span| {
            matches!(
                project.file(s.file).role,
                FileRole::Source | FileRole::Script
            )
        };
        // ORM sources that create tables at run time (by component).
        let creating: Vec<_> = facts
            .schema_syncs
            .iter()
            .filter(|s| project.file(s.span.file).role == FileRole::Source)
            .map(|s| project.file(s.span.file).component)
            .collect();
        let mut by_table: BTreeMap<String, Vec<&SchemaDef>> = BTreeMap::new();
        for d in facts.schema_defs.iter().filter(|d| prod(d.span)) {
            by_table.entry(key(&d.table)).or_default().push(d);
        }
        for defs in by_table.values() {
            let mut sources: Vec<&str> = defs.iter().map(|d| family(&d.source)).collect();
            sources.sort_unstable();
            sources.dedup();
            if sources.len() < 2 {
                continue;
            }
            let orms: Vec<&&SchemaDef> = defs
                .iter()
                .filter(|d| d.source != "sql-migration")
                .collect();
            let sql: Vec<&&SchemaDef> = defs
                .iter()
                .filter(|d| d.source == "sql-migration")
                .collect();
            let mut orm_families: Vec<&str> = orms.iter().map(|d| family(&d.source)).collect();
            orm_families.sort_unstable();
            orm_families.dedup();
            // Two ORMs, or an ORM that creates its tables next to SQL migrations.
            let (first, second) = if orm_families.len() >= 2 {
                let a = orms[0];
                let Some(b) = orms.iter().find(|d| family(&d.source) != family(&a.source)) else {
                    continue;
                };
                (*a, **b)
            } else if let (Some(s), Some(o)) = (
                sql.first(),
                orms.iter()
                    .find(|o| creating.contains(&project.file(o.span.file).component)),
            ) {
                (**s, **o)
            } else {
                continue;
            };
            let first_path = &project.file(first.span.file).path;
            let (l, _) = project
                .file(first.span.file)
                .lines
                .line_col(first.span.start);
            cx.finding(
                Self::META,
                second.span,
                format!(
                    "table `{}` is defined by {} here and by {} in `{first_path}:{l}`",
                    second.table, second.source, first.source
                ),
            )
            .related(first.span, "also defined here");
        }
        for d in &facts.migration_dirs {
            if d.files == 0 {
                if let Some(def) = facts.schema_defs.iter().find(|s| prod(s.span)) {
                    cx.finding(
                        Self::META,
                        def.span,
                        format!(
                            "migrations folder `{}` is empty while models define the schema",
                            d.path
                        ),
                    );
                }
            } else if d.ignored {
                let migrate = facts
                    .ci_pipelines
                    .iter()
                    .flat_map(|p| &p.jobs)
                    .flat_map(|j| &j.steps)
                    .find(|s| s.kinds.iter().any(|k| k == "migrate"));
                if let Some(step) = migrate {
                    cx.finding(
                        Self::META,
                        step.span,
                        format!("CI runs migrations but `.gitignore` hides `{}`", d.path),
                    );
                }
            }
        }
    }
}
