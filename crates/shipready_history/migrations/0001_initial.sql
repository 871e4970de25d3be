-- shipready run history, schema 1.
-- Risk ids (RISK-NNN) are the `risks.id` column; they are never reused.

CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

CREATE TABLE runs (
    id             INTEGER PRIMARY KEY,
    started_at     TEXT NOT NULL,
    root           TEXT NOT NULL,
    git_commit     TEXT,
    git_branch     TEXT,
    tool_version   TEXT NOT NULL,
    rule_set       TEXT NOT NULL,
    overall        INTEGER NOT NULL,
    target         INTEGER NOT NULL,
    critical       INTEGER NOT NULL,
    high           INTEGER NOT NULL,
    medium         INTEGER NOT NULL,
    low            INTEGER NOT NULL,
    open_total     INTEGER NOT NULL,
    waived         INTEGER NOT NULL,
    strengths      INTEGER NOT NULL,
    new_count      INTEGER NOT NULL,
    fixed_count    INTEGER NOT NULL,
    reopened_count INTEGER NOT NULL,
    -- rows written to run_findings for this run: lets a check prove a run is whole.
    finding_rows   INTEGER NOT NULL
);

CREATE TABLE run_categories (
    run_id   INTEGER NOT NULL REFERENCES runs(id),
    category TEXT NOT NULL,
    score    INTEGER,
    PRIMARY KEY (run_id, category)
);

CREATE TABLE run_components (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    name   TEXT NOT NULL,
    score  INTEGER NOT NULL,
    PRIMARY KEY (run_id, name)
);

CREATE TABLE risks (
    id            INTEGER PRIMARY KEY,
    rule          TEXT NOT NULL,
    title         TEXT NOT NULL,
    category      TEXT NOT NULL,
    severity      TEXT NOT NULL,
    component     TEXT NOT NULL,
    path          TEXT NOT NULL,
    line          INTEGER NOT NULL,
    message       TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    snippet_key   TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'waived', 'fixed')),
    first_run     INTEGER NOT NULL REFERENCES runs(id),
    last_seen_run INTEGER NOT NULL REFERENCES runs(id),
    fixed_run     INTEGER REFERENCES runs(id),
    reopened      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX risks_snippet_key ON risks(snippet_key);

-- Every fingerprint a risk has had (code moves and renames change it).
CREATE TABLE risk_fingerprints (
    fingerprint TEXT NOT NULL,
    risk_id     INTEGER NOT NULL REFERENCES risks(id),
    PRIMARY KEY (fingerprint, risk_id)
);

CREATE TABLE run_findings (
    run_id      INTEGER NOT NULL REFERENCES runs(id),
    risk_id     INTEGER NOT NULL REFERENCES risks(id),
    state       TEXT NOT NULL CHECK (state IN ('open', 'waived', 'fixed')),
    change      TEXT NOT NULL CHECK (change IN ('new', 'reopened', 'still_open', 'waived', 'fixed')),
    fingerprint TEXT NOT NULL,
    rule        TEXT NOT NULL,
    title       TEXT NOT NULL,
    severity    TEXT NOT NULL,
    category    TEXT NOT NULL,
    component   TEXT NOT NULL,
    path        TEXT NOT NULL,
    line        INTEGER NOT NULL,
    message     TEXT NOT NULL,
    PRIMARY KEY (run_id, risk_id)
);
CREATE INDEX run_findings_risk ON run_findings(risk_id);

CREATE TABLE run_strengths (
    run_id    INTEGER NOT NULL REFERENCES runs(id),
    rule      TEXT NOT NULL,
    category  TEXT NOT NULL,
    component TEXT NOT NULL,
    path      TEXT NOT NULL,
    line      INTEGER NOT NULL,
    message   TEXT NOT NULL
);
CREATE INDEX run_strengths_run ON run_strengths(run_id);
