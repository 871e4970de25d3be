//! Data rules (DATA): schema management and backups.

mod multiple_schema_sources;
mod n_plus_one_query;
mod no_backup_strategy;
mod schema_without_migrations;
mod state_on_local_volume;

pub use multiple_schema_sources::MultipleSchemaSources;
pub use n_plus_one_query::NPlusOneQuery;
pub use no_backup_strategy::NoBackupStrategy;
pub use schema_without_migrations::SchemaWithoutMigrations;
pub use state_on_local_volume::StateOnLocalVolume;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[
    &SchemaWithoutMigrations,
    &MultipleSchemaSources,
    &NoBackupStrategy,
    &NPlusOneQuery,
    &StateOnLocalVolume,
];
