use shipready_model::{FileRole, Project, Span};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Schema managed without migrations
    ///
    /// ## What it finds
    /// Production code or deploy steps that create the database schema from the models at
    /// run time instead of applying versioned migrations: SQLAlchemy
    /// `Base.metadata.create_all(...)` / Flask-SQLAlchemy `db.create_all()`, Sequelize
    /// `sequelize.sync()` (worse with `force: true`, which drops tables), TypeORM
    /// `synchronize: true`, and `prisma db push` in a start/deploy script, Dockerfile, compose
    /// command or CI step. Also a Prisma schema with models and no `prisma/migrations`
    /// folder. Test files and scripts are not reported.
    /// ## Why it matters
    /// `create_all` only creates missing tables: it never adds a column, changes a type or
    /// adds an index to an existing table, so production drifts from the models. `sync` with
    /// `alter`/`force` and `db push` change or drop data with no review and no way back.
    /// ## Failure scenario
    /// A new column is added to the model; `create_all` leaves the existing production table
    /// untouched, and every insert fails with "column does not exist" after the deploy.
    /// ## Examples
    /// ```py bad
    /// from sqlalchemy import create_engine
    /// from .models import Base
    /// engine = create_engine("postgresql://db/app", pool_size=5)
    /// Base.metadata.create_all(bind=engine)
    /// ```
    /// ```py good
    /// from sqlalchemy import create_engine
    /// engine = create_engine("postgresql://db/app", pool_size=5)
    /// # schema applied by `alembic upgrade head` in the release step
    /// ```
    /// ## How to fix
    /// Generate versioned migrations (Alembic, `prisma migrate`, Sequelize/TypeORM
    /// migrations, golang-migrate) and apply them in a release step before the new version
    /// starts.
    /// ```sh fix
    /// alembic revision --autogenerate -m "add order status"
    /// alembic upgrade head
    /// ```
    /// ## Limitations
    /// A text scan of fixed shapes: a `create_all` reached through a helper with another
    /// receiver name, or guarded so it only runs in development, is judged by the call alone.
    /// ## References
    /// - Alembic tutorial: https://alembic.sqlalchemy.org/en/latest/tutorial.html
    pub SchemaWithoutMigrations {
        code: "DATA001",
        slug: "schema-without-migrations",
        category: Data,
        severity: High,
        likelihood: Likely,
        effort_hours: 4.0,
    }
}

impl Rule for SchemaWithoutMigrations {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let facts = &project.facts;
        for s in &facts.schema_syncs {
            let file = project.file(s.span.file);
            let in_ci = facts
                .ci_pipelines
                .iter()
                .any(|p| p.span.file == s.span.file);
            if file.role != FileRole::Source && !in_ci {
                continue;
            }
            let msg = if s.destructive {
                format!(
                    "`{}` recreates the schema at run time and drops existing data",
                    s.api
                )
            } else {
                format!(
                    "`{}` builds the schema from the models instead of running migrations",
                    s.api
                )
            };
            cx.finding(Self::META, s.span, msg);
        }
        // Prisma models with no migrations folder anywhere, and no `db push` in the same
        // component (already reported above).
        let prisma_migrations = facts
            .migration_dirs
            .iter()
            .any(|d| d.tool == "prisma" && d.files > 0);
        let first = facts
            .schema_defs
            .iter()
            .find(|d| d.source == "prisma" && project.file(d.span.file).role == FileRole::Source);
        if let Some(d) = first
            && !prisma_migrations
        {
            let component = project.file(d.span.file).component;
            let pushes = facts.schema_syncs.iter().any(|s| {
                s.api.contains("prisma") && project.file(s.span.file).component == component
            });
            if !pushes {
                let path = &project.file(d.span.file).path;
                cx.finding(
                    Self::META,
                    Span::file_start(d.span.file),
                    format!("schema `{path}` has Prisma models and no `prisma/migrations` folder"),
                );
            }
        }
    }
}
