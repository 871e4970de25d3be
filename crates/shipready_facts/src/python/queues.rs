//! Queue producers and consumers in Python: Celery tasks (`@celery.task`, `@shared_task`)
//! and the calls that enqueue them (`task.delay`, `task.apply_async`, `app.send_task`),
//! Redis lists and streams (redis-py `lpush`/`rpush`/`xadd` vs `brpop`/`blpop`/`xreadgroup`),
//! and RQ (`Queue('name').enqueue(fn)`, `@job('name')` functions called with `.delay`, vs
//! `Worker([q, 'name'])`; django-rq's `get_queue`/`enqueue`/`get_worker`).

use std::collections::HashMap;

use shipready_model::{Facts, QueueConsumer, QueueField, QueueProducer, Span};
use tree_sitter::Node;

use super::Py;
use super::syntax::{
    callee, callee_text, compact, decorator_expr, decorators_of, def_name, has_dict_splat, kwarg,
    kwargs, last_segment, named, positional, str_value, text, unwrap,
};

/// Whether a decorator expression makes a Celery task in this file.
fn is_celery_task(py: &Py<'_, '_>, expr: &str) -> bool {
    let head = expr.split('(').next().unwrap_or(expr);
    if head == "shared_task" || head == "celery.shared_task" {
        return py.imports_module("celery");
    }
    let Some(recv) = head.strip_suffix(".task") else {
        return false;
    };
    if recv.contains('.') || recv.is_empty() {
        return false;
    }
    py.imports_module("celery")
        || recv.to_ascii_lowercase().contains("celery")
        || py
            .imported(recv)
            .is_some_and(|i| i.module.to_ascii_lowercase().contains("celery"))
}

/// A Celery task's parameters (without `self`), and whether it takes `**kwargs`.
fn task_params(py: &Py<'_, '_>, def: Node<'_>) -> (Vec<QueueField>, bool) {
    let mut fields = Vec::new();
    let mut opaque = false;
    let Some(ps) = def.child_by_field_name("parameters") else {
        return (fields, true);
    };
    for p in named(ps) {
        let splat = |k: &str| p.kind() == k || named(p).iter().any(|c| c.kind() == k);
        if splat("dictionary_splat_pattern") {
            opaque = true;
            continue;
        }
        if splat("list_splat_pattern") {
            continue;
        }
        let name_node = match p.kind() {
            "identifier" => Some(p),
            "default_parameter" | "typed_default_parameter" => p.child_by_field_name("name"),
            "typed_parameter" => named(p).into_iter().find(|c| c.kind() == "identifier"),
            _ => None,
        };
        let Some(n) = name_node else { continue };
        let name = text(n, py.src);
        if name == "self" || name == "cls" {
            continue;
        }
        fields.push(QueueField {
            span: py.cx.span(p),
            name: name.to_string(),
        });
    }
    (fields, opaque)
}

fn celery_tasks(py: &Py<'_, '_>, out: &mut Facts) {
    for &def in &py.functions {
        let Some(expr) = decorators_of(def)
            .into_iter()
            .filter_map(decorator_expr)
            .find(|e| is_celery_task(py, &compact(*e, py.src)))
        else {
            continue;
        };
        let fname = def_name(def, py.src);
        let mut queues = Vec::new();
        if expr.kind() == "call"
            && let Some(n) = kwarg(expr, py.src, "name").and_then(|n| str_value(n, py.src))
        {
            queues.push(n);
        }
        queues.push(fname);
        let (fields, fields_opaque) = task_params(py, def);
        out.queue_consumers.push(QueueConsumer {
            span: py.cx.span(
                def.parent()
                    .filter(|p| p.kind() == "decorated_definition")
                    .unwrap_or(def),
            ),
            system: "celery".to_string(),
            api: format!("@{}", compact(expr, py.src).split('(').next().unwrap_or("")),
            queues,
            queues_opaque: false,
            queue_refs: Vec::new(),
            fields,
            fields_opaque,
        });
    }
}

/// Celery `.delay`/`.apply_async`/`send_task` (a `.delay` of a same-file RQ `@job` function
/// is an RQ producer instead).
fn celery_calls(
    py: &Py<'_, '_>,
    rq_jobs: &HashMap<String, (Option<String>, Span)>,
    out: &mut Facts,
) {
    for &c in &py.calls {
        let ct = callee_text(c, py.src);
        let Some((recv, method)) = ct.rsplit_once('.') else {
            continue;
        };
        match method {
            "delay" | "apply_async" => {
                // The receiver must name a function: a plain name or `module.task`.
                if recv.is_empty()
                    || recv.contains('(')
                    || recv.contains('[')
                    || recv.starts_with("self.")
                {
                    continue;
                }
                let task = last_segment(recv).to_string();
                if let Some((queue, declared)) = rq_jobs.get(recv) {
                    out.queue_producers.push(QueueProducer {
                        span: py.cx.span(c),
                        system: "rq".to_string(),
                        api: ct.clone(),
                        queue: queue.clone(),
                        queue_prefix: None,
                        declared_at: Some(*declared),
                        queue_ref: None,
                        payload_keys: Vec::new(),
                        payload_opaque: true,
                    });
                    continue;
                }
                let first = recv.split('.').next().unwrap_or(recv);
                let known = !py.functions_named(&task).is_empty() || py.imported(first).is_some();
                if !known {
                    continue;
                }
                let (payload_keys, payload_opaque) = if method == "delay" {
                    let keys: Vec<String> = kwargs(c, py.src).into_iter().map(|(k, _)| k).collect();
                    (keys, !positional(c).is_empty() || has_dict_splat(c))
                } else {
                    // apply_async(args=[...], kwargs={...})
                    match kwarg(c, py.src, "kwargs").map(unwrap) {
                        Some(d) if d.kind() == "dictionary" => {
                            let mut keys = Vec::new();
                            let mut opaque =
                                kwarg(c, py.src, "args").is_some() || !positional(c).is_empty();
                            for pair in named(d) {
                                match pair
                                    .child_by_field_name("key")
                                    .and_then(|k| str_value(k, py.src))
                                {
                                    Some(k) if pair.kind() == "pair" => keys.push(k),
                                    _ => opaque = true,
                                }
                            }
                            (keys, opaque)
                        }
                        _ => (Vec::new(), true),
                    }
                };
                out.queue_producers.push(QueueProducer {
                    span: py.cx.span(c),
                    system: "celery".to_string(),
                    api: ct.clone(),
                    queue: Some(task),
                    queue_prefix: None,
                    declared_at: None,
                    queue_ref: None,
                    payload_keys,
                    payload_opaque,
                });
            }
            "send_task" => {
                let Some(first) = positional(c).first().copied() else {
                    continue;
                };
                let (queue, queue_prefix) = match str_value(first, py.src) {
                    Some(s) => (Some(s), None),
                    None => (None, None),
                };
                out.queue_producers.push(QueueProducer {
                    span: py.cx.span(c),
                    system: "celery".to_string(),
                    api: ct.clone(),
                    queue,
                    queue_prefix,
                    declared_at: None,
                    queue_ref: None,
                    payload_keys: Vec::new(),
                    payload_opaque: true,
                });
            }
            _ => {}
        }
    }
}

/// Whether a receiver holds a Redis client (by the file's imports and its name).
fn is_redis(py: &Py<'_, '_>, recv: &str) -> bool {
    (py.imports_module("redis") || py.imports_module("aioredis"))
        && last_segment(recv).to_ascii_lowercase().contains("redis")
}

/// The queue name of an argument: a literal, a module constant, or an f-string prefix.
fn key_of(py: &Py<'_, '_>, n: Node<'_>) -> (Option<String>, Option<String>) {
    let n = unwrap(n);
    if let Some(s) = str_value(n, py.src) {
        return (Some(s), None);
    }
    if n.kind() == "identifier"
        && let Some(b) = py.module_binding(text(n, py.src))
        && let Some(s) = str_value(b.value, py.src)
        && b.scope.is_none()
    {
        return (Some(s), None);
    }
    if n.kind() == "string" {
        let t = text(n, py.src);
        let body = t.trim_start_matches(['f', 'F', 'r', 'R', 'b', 'B']);
        let body = body.trim_start_matches(['"', '\'']);
        let prefix = body.split('{').next().unwrap_or("");
        if t.len() != body.len() && !prefix.is_empty() {
            return (None, Some(prefix.to_string()));
        }
    }
    (None, None)
}

fn redis(py: &Py<'_, '_>, out: &mut Facts) {
    for &c in &py.calls {
        let ct = callee_text(c, py.src);
        let Some((recv, method)) = ct.rsplit_once('.') else {
            continue;
        };
        let producer = matches!(method, "lpush" | "rpush" | "xadd");
        let consumer = matches!(
            method,
            "brpop"
                | "blpop"
                | "rpop"
                | "lpop"
                | "lrange"
                | "rpoplpush"
                | "brpoplpush"
                | "lmove"
                | "blmove"
                | "lindex"
                | "xread"
                | "xreadgroup"
                | "xrange"
                | "xrevrange"
        );
        if !(producer || consumer) || !is_redis(py, recv) {
            continue;
        }
        let system = if method.starts_with('x') {
            "redis-stream"
        } else {
            "redis-list"
        };
        let args = positional(c);
        if producer {
            let (queue, queue_prefix) = args.first().map_or((None, None), |a| key_of(py, *a));
            out.queue_producers.push(QueueProducer {
                span: py.cx.span(c),
                system: system.to_string(),
                api: ct.clone(),
                queue,
                queue_prefix,
                declared_at: None,
                queue_ref: None,
                payload_keys: Vec::new(),
                payload_opaque: true,
            });
            continue;
        }
        let mut keys: Vec<Option<String>> = Vec::new();
        if matches!(method, "xread" | "xreadgroup") {
            // xread({key: id}), xreadgroup(group, consumer, {key: id})
            let streams = kwarg(c, py.src, "streams").or_else(|| {
                args.iter()
                    .copied()
                    .find(|a| unwrap(*a).kind() == "dictionary")
            });
            match streams.map(unwrap) {
                Some(d) if d.kind() == "dictionary" => {
                    for pair in named(d) {
                        keys.push(
                            pair.child_by_field_name("key")
                                .and_then(|k| key_of(py, k).0),
                        );
                    }
                }
                _ => keys.push(None),
            }
        } else if let Some(first) = args.first().map(|a| unwrap(*a)) {
            if matches!(first.kind(), "list" | "tuple") {
                keys.extend(named(first).into_iter().map(|k| key_of(py, k).0));
            } else {
                keys.push(key_of(py, first).0);
            }
        }
        if keys.is_empty() {
            keys.push(None);
        }
        out.queue_consumers.push(QueueConsumer {
            span: py.cx.span(c),
            system: system.to_string(),
            api: ct.clone(),
            queues: keys.iter().flatten().cloned().collect(),
            queues_opaque: keys.iter().any(Option::is_none),
            queue_refs: Vec::new(),
            fields: Vec::new(),
            fields_opaque: true,
        });
    }
}

/// Whether the file uses RQ (or django-rq).
fn uses_rq(py: &Py<'_, '_>) -> bool {
    py.imports_module("rq") || py.imports_module("django_rq")
}

/// Whether a callee names an import from RQ (or django-rq): `Queue` from `rq`,
/// `rq.Queue`, `django_rq.get_queue`.
fn rq_callee(py: &Py<'_, '_>, callee: &str, names: &[&str]) -> bool {
    let last = last_segment(callee);
    if !names.contains(&last) {
        return false;
    }
    match callee.split_once('.') {
        Some((head, _)) => {
            matches!(head, "rq" | "django_rq")
                || py
                    .imported(head)
                    .is_some_and(|i| i.module == "rq" || i.module.starts_with("rq."))
        }
        None => py.imported(callee).is_some_and(|i| {
            i.module == "rq" || i.module.starts_with("rq.") || i.module == "django_rq"
        }),
    }
}

/// The queue a `Queue(..)`/`get_queue(..)` call names: its first argument or `name=`;
/// RQ's `default` without one.
fn rq_queue_of(py: &Py<'_, '_>, ctor: Node<'_>) -> Option<RqQueue> {
    let ctor = unwrap(ctor);
    if ctor.kind() != "call" {
        return None;
    }
    let c = callee_text(ctor, py.src);
    if !rq_callee(py, &c, &["Queue", "get_queue"]) {
        return None;
    }
    let arg = positional(ctor)
        .first()
        .copied()
        .or_else(|| kwarg(ctor, py.src, "name"));
    Some(RqQueue(match arg {
        Some(a) => key_of(py, a).0,
        None => Some("default".to_string()),
    }))
}

/// An RQ queue; its name when it resolves.
struct RqQueue(Option<String>);

/// The queue an expression holds: a `Queue(..)` call, or a name bound to one.
fn rq_queue_ref<'t>(py: &Py<'_, 't>, n: Node<'t>) -> Option<(Option<String>, Node<'t>)> {
    let n = unwrap(n);
    if let Some(RqQueue(q)) = rq_queue_of(py, n) {
        return Some((q, n));
    }
    if matches!(n.kind(), "identifier" | "attribute") {
        let b = py.binding(&compact(n, py.src), n)?;
        let v = unwrap(b.value);
        return rq_queue_of(py, v).map(|RqQueue(q)| (q, v));
    }
    None
}

/// Same-file `@job('queue')` functions: name -> (queue, decorator span).
fn rq_jobs(py: &Py<'_, '_>) -> HashMap<String, (Option<String>, Span)> {
    let mut out = HashMap::new();
    if !uses_rq(py) {
        return out;
    }
    for &def in &py.functions {
        for expr in decorators_of(def).into_iter().filter_map(decorator_expr) {
            let head = callee_text(expr, py.src);
            let is_call = expr.kind() == "call";
            let c = if is_call { head } else { compact(expr, py.src) };
            if !rq_callee(py, &c, &["job"]) {
                continue;
            }
            let arg = is_call
                .then(|| {
                    positional(expr)
                        .first()
                        .copied()
                        .or_else(|| kwarg(expr, py.src, "queue"))
                })
                .flatten();
            let queue = match arg {
                Some(a) => rq_queue_ref(py, a).map_or_else(|| key_of(py, a).0, |(q, _)| q),
                None => Some("default".to_string()),
            };
            out.insert(def_name(def, py.src), (queue, py.cx.span(expr)));
        }
    }
    out
}

/// RQ `q.enqueue(..)` producers and `Worker([..])` consumers.
fn rq(py: &Py<'_, '_>, out: &mut Facts) {
    if !uses_rq(py) {
        return;
    }
    for &c in &py.calls {
        let ct = callee_text(c, py.src);
        // django_rq.enqueue(fn): the default queue.
        if rq_callee(py, &ct, &["enqueue"]) && ct.split('.').next() != Some("rq") {
            out.queue_producers
                .push(rq_producer(py, c, &ct, Some("default".to_string()), None));
            continue;
        }
        if rq_callee(py, &ct, &["Worker", "SimpleWorker", "get_worker"]) {
            let args: Vec<Node<'_>> = if last_segment(&ct) == "get_worker" {
                positional(c)
            } else {
                positional(c)
                    .first()
                    .copied()
                    .or_else(|| kwarg(c, py.src, "queues"))
                    .into_iter()
                    .collect()
            };
            let mut names: Vec<Option<String>> = Vec::new();
            if args.is_empty() && last_segment(&ct) == "get_worker" {
                names.push(Some("default".to_string()));
            }
            for a in args {
                let a = unwrap(a);
                let items = if matches!(a.kind(), "list" | "tuple") {
                    named(a)
                } else if last_segment(&ct) == "get_worker" {
                    vec![a]
                } else {
                    // A variable: any queue.
                    names.push(None);
                    continue;
                };
                for item in items {
                    names.push(match rq_queue_ref(py, item) {
                        Some((q, _)) => q,
                        None => key_of(py, item).0,
                    });
                }
            }
            if names.is_empty() {
                names.push(None);
            }
            out.queue_consumers.push(QueueConsumer {
                span: py.cx.span(c),
                system: "rq".to_string(),
                api: ct.clone(),
                queues: names.iter().flatten().cloned().collect(),
                queues_opaque: names.iter().any(Option::is_none),
                queue_refs: Vec::new(),
                fields: Vec::new(),
                fields_opaque: true,
            });
            continue;
        }
        let Some(f) = callee(c).filter(|f| f.kind() == "attribute") else {
            continue;
        };
        let method = f
            .child_by_field_name("attribute")
            .map_or("", |a| text(a, py.src));
        if !matches!(
            method,
            "enqueue" | "enqueue_call" | "enqueue_in" | "enqueue_at" | "enqueue_many"
        ) {
            continue;
        }
        let Some(obj) = f.child_by_field_name("object") else {
            continue;
        };
        let Some((queue, ctor)) = rq_queue_ref(py, obj) else {
            continue;
        };
        let declared = (ctor.id() != unwrap(obj).id()).then(|| py.cx.span(ctor));
        out.queue_producers
            .push(rq_producer(py, c, &ct, queue, declared));
    }
}

fn rq_producer(
    py: &Py<'_, '_>,
    c: Node<'_>,
    api: &str,
    queue: Option<String>,
    declared_at: Option<Span>,
) -> QueueProducer {
    QueueProducer {
        span: py.cx.span(c),
        system: "rq".to_string(),
        api: api.to_string(),
        queue,
        queue_prefix: None,
        declared_at,
        queue_ref: None,
        payload_keys: Vec::new(),
        payload_opaque: true,
    }
}

/// Extracts the facts of this module.
pub(crate) fn extract(py: &Py<'_, '_>, out: &mut Facts) {
    celery_tasks(py, out);
    celery_calls(py, &rq_jobs(py), out);
    rq(py, out);
    redis(py, out);
    out.queue_producers
        .sort_by_key(|q| (q.span.file.0, q.span.start, q.span.end));
    out.queue_consumers
        .sort_by_key(|q| (q.span.file.0, q.span.start, q.span.end));
}
