use shipready_model::{FileRole, Project, Span};

use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Database without a backup strategy
    ///
    /// ## What it finds
    /// Databases the repository runs itself (a compose service with a Postgres, MySQL,
    /// MariaDB, MongoDB... image and a persistent volume, or a Kubernetes StatefulSet running
    /// one) when nothing in the repository mentions backups: no file named `*backup*`, no
    /// `pg_dump`/`mysqldump`/`mongodump`/`pgbackrest`/`wal-g`/`velero`/`restic`/`litestream`
    /// in scripts, manifests or docs, no document talking about backups or point-in-time
    /// recovery. One finding per database. Compose files named for development or tests are
    /// skipped.
    /// ## Why it matters
    /// A database in a container keeps its data on one volume on one host. A deleted volume,
    /// a failed disk or a bad migration loses everything, and without a tested restore
    /// procedure the recovery time is unknown.
    /// ## Failure scenario
    /// `docker compose down -v` is run on the production VM to "reset" a stuck service; the
    /// `pgdata` volume goes with it, and there is no dump to restore.
    /// ## Examples
    /// ```tree bad
    /// ==> docker-compose.yml <==
    /// services:
    ///   postgres:
    ///     image: postgres:16
    ///     volumes:
    ///       - pgdata:/var/lib/postgresql/data
    /// volumes:
    ///   pgdata:
    /// ```
    /// ```tree good
    /// ==> docker-compose.yml <==
    /// services:
    ///   postgres:
    ///     image: postgres:16
    ///     volumes:
    ///       - pgdata:/var/lib/postgresql/data
    /// volumes:
    ///   pgdata:
    /// ==> scripts/backup.sh <==
    /// pg_dump "$DATABASE_URL" | gzip > "/backups/$(date +%F).sql.gz"
    /// ```
    /// ## How to fix
    /// Use a managed database with automated backups and point-in-time recovery, or schedule
    /// dumps / WAL archiving to storage outside the host, and document (and rehearse) the
    /// restore procedure.
    /// ```yaml fix
    /// backup:
    ///   image: prodrigestivill/postgres-backup-local:16
    ///   environment: { SCHEDULE: "@daily", BACKUP_KEEP_DAYS: "14" }
    /// ```
    /// ## Limitations
    /// Backups configured outside the repository (a managed database, a platform's snapshot
    /// policy) are not seen: when production uses a managed database and this one is only
    /// for local use, suppress the finding with a reason.
    /// ## References
    /// - PostgreSQL, backup and restore: https://www.postgresql.org/docs/current/backup.html
    pub NoBackupStrategy {
        code: "DATA003",
        slug: "no-backup-strategy",
        category: Data,
        severity: High,
        likelihood: Possible,
        effort_hours: 4.0,
    }
}

impl Rule for NoBackupStrategy {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let facts = &project.facts;
        if let Some(e) = facts.backup_evidence.first() {
            cx.strength(Self::META, e.span, format!("backup procedure: {}", e.what));
            return;
        }
        let mut dbs: Vec<(Span, String)> = Vec::new();
        for s in &facts.compose_services {
            let file = project.file(s.span.file);
            if file.role == FileRole::Test || crate::containers::is_dev_compose(&file.path) {
                continue;
            }
            let Some(image) = &s.image else { continue };
            if vocab::image_in(image, vocab::DATABASE_IMAGES) && !s.volumes.is_empty() {
                dbs.push((
                    s.span,
                    format!(
                        "compose service `{}` (`{}`)",
                        s.name,
                        vocab::image_name(image)
                    ),
                ));
            }
        }
        for w in &facts.k8s_workloads {
            if w.kind != "StatefulSet" || project.file(w.span.file).role == FileRole::Test {
                continue;
            }
            if let Some(c) = w.containers.iter().find(|c| {
                c.image
                    .as_deref()
                    .is_some_and(|i| vocab::image_in(i, vocab::DATABASE_IMAGES))
            }) {
                dbs.push((
                    w.span,
                    format!(
                        "workload StatefulSet `{}` (`{}`)",
                        w.name,
                        c.image.as_deref().map_or("", vocab::image_name)
                    ),
                ));
            }
        }
        for (span, what) in dbs {
            cx.finding(
                Self::META,
                span,
                format!("{what} keeps data with no backup job, script or documented procedure"),
            );
        }
    }
}
