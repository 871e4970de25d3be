//! Findings, strengths and their fingerprints.

use std::fmt;

use serde::Serialize;
use sha2::{Digest, Sha256};

/// How bad a finding is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// P3
    Low,
    /// P2
    Medium,
    /// P1
    High,
    /// P0: blocks production
    Critical,
}

impl Severity {
    /// All severities, most severe first.
    pub const ALL: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a lower-case name.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How likely the failure is to happen in production.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Likelihood {
    /// Needs unusual circumstances.
    Unlikely,
    /// Plausible.
    Possible,
    /// Expected under normal production load or operations.
    Likely,
}

impl Likelihood {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Likelihood::Unlikely => "unlikely",
            Likelihood::Possible => "possible",
            Likelihood::Likely => "likely",
        }
    }
}

/// Category of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Security
    Security,
    /// Secrets
    Secrets,
    /// Configuration
    Configuration,
    /// Reliability
    Reliability,
    /// Availability
    Availability,
    /// Data
    Data,
    /// Observability
    Observability,
    /// Testing
    Testing,
    /// Delivery (CI/CD)
    Delivery,
    /// Containers (Docker/compose/k8s)
    Containers,
    /// Performance
    Performance,
    /// Cost
    Cost,
    /// Maintainability
    Maintainability,
    /// Documentation
    Documentation,
    /// API contract
    ApiContract,
}

impl Category {
    /// Kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::Secrets => "secrets",
            Category::Configuration => "configuration",
            Category::Reliability => "reliability",
            Category::Availability => "availability",
            Category::Data => "data",
            Category::Observability => "observability",
            Category::Testing => "testing",
            Category::Delivery => "delivery",
            Category::Containers => "containers",
            Category::Performance => "performance",
            Category::Cost => "cost",
            Category::Maintainability => "maintainability",
            Category::Documentation => "documentation",
            Category::ApiContract => "api-contract",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rendered position: path, 1-based line and column, and the source lines.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// Repository-relative path.
    pub path: String,
    /// 1-based first line.
    pub line: u32,
    /// 1-based column (bytes).
    pub column: u32,
    /// 1-based last line.
    pub end_line: u32,
    /// 1-based column after the last byte.
    pub end_column: u32,
    /// The source lines the span covers (at most a few), without trailing newline.
    pub snippet: String,
}

/// A secondary location of a finding (the other side of a cross-file finding, another
/// occurrence).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Related {
    /// Where.
    #[serde(flatten)]
    pub location: Location,
    /// What it is.
    pub message: String,
}

/// One risk found at one place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable risk id (`RISK-007`) once the history store assigns one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Rule code (`REL001`).
    pub rule: String,
    /// Rule slug.
    pub slug: String,
    /// Rule title.
    pub title: String,
    /// Category.
    pub category: Category,
    /// Severity (after configuration overrides).
    pub severity: Severity,
    /// Likelihood.
    pub likelihood: Likelihood,
    /// Component name.
    pub component: String,
    /// Main location.
    pub location: Location,
    /// Other locations.
    pub related: Vec<Related>,
    /// What is wrong at this spot.
    pub message: String,
    /// Estimated effort to fix, in hours.
    pub effort_hours: f32,
    /// Stable fingerprint (see [`fingerprint`]).
    pub fingerprint: String,
}

/// A good practice seen, credited by the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Strength {
    /// Rule code that recognised it.
    pub rule: String,
    /// Category credited.
    pub category: Category,
    /// Component name.
    pub component: String,
    /// Evidence.
    pub location: Location,
    /// What was seen.
    pub message: String,
}

/// Stable fingerprint of a finding: sha256 of the rule code, the component, the path and the
/// normalised code at the finding (whitespace removed), plus an occurrence index that tells
/// identical snippets in one file apart. Line numbers are not part of it, so moving code keeps
/// the fingerprint.
pub fn fingerprint(rule: &str, component: &str, path: &str, code: &str, occurrence: u32) -> String {
    let normalised: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let mut hasher = Sha256::new();
    for part in [rule, component, path, normalised.as_str()] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hasher.update(occurrence.to_le_bytes());
    let digest = hasher.finalize();
    digest.iter().fold(String::with_capacity(64), |mut s, b| {
        use fmt::Write;
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_whitespace_and_is_stable() {
        let a = fingerprint("REL001", "api", "src/db.ts", "process.exit(1);", 0);
        let b = fingerprint("REL001", "api", "src/db.ts", "  process.exit( 1 );", 0);
        assert_eq!(a, b);
        assert_ne!(
            a,
            fingerprint("REL001", "api", "src/db.ts", "process.exit(1);", 1)
        );
        // A fixed value: the hash must not change between releases.
        assert_eq!(a.len(), 64);
        assert_eq!(
            &a[..12],
            &fingerprint("REL001", "api", "src/db.ts", "process.exit(1);", 0)[..12]
        );
    }

    #[test]
    fn severity_orders_and_parses() {
        assert!(Severity::Critical > Severity::High);
        assert_eq!(Severity::parse("HIGH"), Some(Severity::High));
        assert_eq!(Severity::parse("x"), None);
    }
}
