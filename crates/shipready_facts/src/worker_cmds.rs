//! Queue consumers started by command lines outside the code: RQ workers in Procfiles,
//! shell scripts, supervisord programs, compose and Kubernetes commands, Dockerfile `CMD`s
//! (`rq worker high default`, django-rq `manage.py rqworker emails`, a list
//! `["rq", "worker", "high"]`). The queues named follow `worker` up to a shell separator;
//! a name given through a variable or template (`rq worker $QUEUES`, `%(ENV_QUEUES)s`)
//! makes the consumer unresolved (it may consume any queue), and no name means RQ's
//! `default`.

use shipready_model::{Facts, Lang, QueueConsumer};

use crate::FileCtx;

/// RQ options that take a value (`rq worker -u redis://.. high`).
const RQ_VALUE_OPTIONS: &[&str] = &[
    "-u",
    "--url",
    "-c",
    "--config",
    "-w",
    "--worker-class",
    "-n",
    "--name",
    "-P",
    "--path",
    "-j",
    "--job-class",
    "--queue-class",
    "--connection-class",
    "-l",
    "--logging_level",
    "--log-format",
    "--date-format",
    "-S",
    "--serializer",
    "--results-ttl",
    "--worker-ttl",
    "--job-monitoring-interval",
    "--max-jobs",
    "--max-idle-time",
    "--pid",
    "--sentry-dsn",
    "--dequeue-strategy",
    "--exception-handler",
];

/// The queues of one line's RQ worker command: `None` when the line starts none,
/// `Some((names, opaque))` otherwise.
fn rq_command(line: &str) -> Option<(Vec<String>, bool)> {
    let l: String = line
        .chars()
        .map(|c| {
            if matches!(c, '"' | '\'' | ',' | '[' | ']') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let tokens: Vec<&str> = l.split_whitespace().collect();
    let at = tokens
        .windows(2)
        .position(|w| w == ["rq", "worker"])
        .map(|i| i + 2)
        .or_else(|| tokens.iter().position(|t| *t == "rqworker").map(|i| i + 1))?;
    // A comment line mentioning the command starts nothing.
    if tokens
        .first()
        .is_some_and(|t| t.starts_with('#') || t.starts_with(';') || t.starts_with("//"))
    {
        return None;
    }
    let mut names = Vec::new();
    let mut skip_value = false;
    for t in tokens.iter().skip(at) {
        if matches!(*t, "&&" | "||" | ";" | "|" | ">" | ">>" | "&") || t.starts_with('#') {
            break;
        }
        if t.contains('$') || t.contains("%(") || t.contains('{') || t.contains('*') {
            return Some((names, true));
        }
        if skip_value {
            skip_value = false;
            continue;
        }
        if t.starts_with('-') {
            skip_value = !t.contains('=') && RQ_VALUE_OPTIONS.contains(t);
            continue;
        }
        names.push((*t).to_string());
    }
    if names.is_empty() {
        names.push("default".to_string());
    }
    Some((names, false))
}

/// Extracts RQ worker commands of a non-code file.
pub(crate) fn extract(cx: &FileCtx<'_>, out: &mut Facts) {
    let config = matches!(
        cx.lang,
        Lang::Text | Lang::Yaml | Lang::Json | Lang::Toml | Lang::Dockerfile
    );
    if !config || !cx.text.contains("rq") || !cx.text.contains("worker") {
        return;
    }
    let mut start = 0;
    for line in cx.text.split_inclusive('\n') {
        let end = start + line.len();
        if let Some((queues, queues_opaque)) = rq_command(line) {
            let trimmed = line.trim_end();
            let lead = trimmed.len() - trimmed.trim_start().len();
            out.queue_consumers.push(QueueConsumer {
                span: cx.span_of(start + lead, start + trimmed.len()),
                system: "rq".to_string(),
                api: "rq worker".to_string(),
                queues,
                queues_opaque,
                queue_refs: Vec::new(),
                fields: Vec::new(),
                fields_opaque: true,
            });
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::rq_command;

    #[test]
    fn commands() {
        let q = |l: &str| rq_command(l);
        assert_eq!(
            q("worker: rq worker --url redis://r:6379 high low --with-scheduler"),
            Some((vec!["high".to_string(), "low".to_string()], false))
        );
        assert_eq!(
            q(r#"command: ["rq", "worker", "emails"]"#),
            Some((vec!["emails".to_string()], false))
        );
        assert_eq!(
            q("python manage.py rqworker"),
            Some((vec!["default".to_string()], false))
        );
        assert_eq!(
            q("command=./manage.py rq worker %(ENV_QUEUES)s"),
            Some((Vec::new(), true))
        );
        assert_eq!(q("rq worker $QUEUES && echo done").map(|x| x.1), Some(true));
        assert_eq!(q("# run: rq worker high"), None);
        assert_eq!(q("; rq worker in a supervisord comment"), None);
        assert_eq!(q("celery -A app worker"), None);
    }
}
