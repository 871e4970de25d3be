//! Queue producers and consumers: BullMQ, Bull and bee-queue queues and workers, NestJS
//! `@Processor` and `@InjectQueue`, Redis lists and streams, kafkajs topics and NATS subjects. Queue names are
//! resolved from literals and constants of the same file (an object of constants too);
//! templates with substitutions keep their literal start as a per-key prefix.

use std::collections::BTreeMap;

use shipready_model::{ClientKind, Facts, QueueConsumer, QueueField, QueueProducer, Span};
use tree_sitter::Node;

use super::Js;
use super::calls::assigned_var;
use super::syntax::{args, array_items, is_fn, param_nodes, unwrap, walk_all};

/// A queue name as far as it resolves.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Name {
    /// Known name.
    Lit(String),
    /// Built per key: the literal start.
    Prefix(String),
    /// A name imported from another file (resolved by the linker when it is a string
    /// constant there).
    Ref(String),
    /// Not known.
    Unknown,
}

/// Resolves a queue-name expression: literals, same-file constants (also `OBJ.KEY` of a
/// constant object), templates and `'a' + x` concatenations (a prefix).
fn name_of(js: &Js<'_, '_>, n: Node<'_>) -> Name {
    let mut n = unwrap(n);
    for _ in 0..6 {
        if let Some(s) = js.str_lit(n) {
            return Name::Lit(s);
        }
        match n.kind() {
            "template_string" => {
                let text = js.t(n);
                let inner = text.get(1..).unwrap_or("");
                let prefix = inner.split("${").next().unwrap_or("");
                return if prefix.is_empty() {
                    Name::Unknown
                } else {
                    Name::Prefix(prefix.to_string())
                };
            }
            "binary_expression" => {
                let Some(left) = n.child_by_field_name("left") else {
                    return Name::Unknown;
                };
                return match name_of_shallow(js, left) {
                    Some(p) if !p.is_empty() => Name::Prefix(p),
                    _ => Name::Unknown,
                };
            }
            "identifier" => {
                let Some((d, v)) = js.value_of(js.t(n), n) else {
                    let local = js.t(n);
                    return if js.import_of(local).is_some() {
                        Name::Ref(local.to_string())
                    } else {
                        Name::Unknown
                    };
                };
                if !Js::is_const(d) {
                    return Name::Unknown;
                }
                n = v;
            }
            "member_expression" => {
                let (Some(obj), Some(prop)) = (
                    n.child_by_field_name("object"),
                    n.child_by_field_name("property"),
                ) else {
                    return Name::Unknown;
                };
                if obj.kind() != "identifier" {
                    return Name::Unknown;
                }
                let Some((d, v)) = js.value_of(js.t(obj), n) else {
                    return Name::Unknown;
                };
                if !Js::is_const(d) {
                    return Name::Unknown;
                }
                let Some(val) = js.obj_get(v, js.t(prop)) else {
                    return Name::Unknown;
                };
                n = unwrap(val);
            }
            _ => return Name::Unknown,
        }
    }
    Name::Unknown
}

/// A literal (or constant) string, without following templates.
fn name_of_shallow(js: &Js<'_, '_>, n: Node<'_>) -> Option<String> {
    match name_of(js, n) {
        Name::Lit(s) => Some(s),
        _ => None,
    }
}

/// The queue library a constructor comes from, by the file's imports.
fn system_of(js: &Js<'_, '_>, ctor: &str) -> Option<&'static str> {
    let root = ctor.split('.').next().unwrap_or(ctor);
    let m = js.module_of(root)?;
    let m = m.strip_prefix("@nestjs/").unwrap_or(m);
    match m {
        "bullmq" => Some("bullmq"),
        "bull" => Some("bull"),
        "bee-queue" => Some("bee-queue"),
        _ => None,
    }
}

/// A declared queue: its name, where, and its library.
struct QueueDecl {
    name: Name,
    span: Span,
    system: &'static str,
}

/// Fields a processor function reads from its job's payload.
fn processor_fields(js: &Js<'_, '_>, f: Node<'_>, data_prop: &str) -> (Vec<QueueField>, bool) {
    let mut fields = Vec::new();
    let mut opaque = false;
    let Some(p) = param_nodes(f).into_iter().next() else {
        return (fields, true);
    };
    // Names that hold the payload: `job.data` (or `{ data }` destructured), and aliases.
    let mut payload: Vec<String> = Vec::new();
    match p.kind() {
        "identifier" => payload.push(format!("{}.{data_prop}", js.t(p))),
        "object_pattern" => {
            for m in named_children(p) {
                match m.kind() {
                    "shorthand_property_identifier_pattern" if js.t(m) == data_prop => {
                        payload.push(data_prop.to_string());
                    }
                    "pair_pattern" => {
                        let key = m.child_by_field_name("key").map(|k| js.t(k));
                        let value = m.child_by_field_name("value");
                        if key == Some(data_prop)
                            && let Some(v) = value
                        {
                            if v.kind() == "identifier" {
                                payload.push(js.t(v).to_string());
                            } else if v.kind() == "object_pattern" {
                                opaque |= pattern_fields(js, v, &mut fields);
                            } else {
                                opaque = true;
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => return (fields, true),
    }
    if payload.is_empty() {
        return (fields, opaque);
    }
    // One alias level: `const data = job.data`, `const { a } = job.data`.
    let mut aliases: Vec<String> = Vec::new();
    walk_all(f, |n| {
        if n.kind() != "variable_declarator" {
            return;
        }
        let (Some(name), Some(value)) = (
            n.child_by_field_name("name"),
            n.child_by_field_name("value").map(unwrap),
        ) else {
            return;
        };
        if !payload.contains(&js.compact(value)) {
            return;
        }
        match name.kind() {
            "identifier" => aliases.push(js.t(name).to_string()),
            "object_pattern" => opaque |= pattern_fields(js, name, &mut fields),
            _ => opaque = true,
        }
    });
    payload.extend(aliases);
    walk_all(f, |n| {
        if !matches!(n.kind(), "identifier" | "member_expression") {
            return;
        }
        let text = js.compact(n);
        if !payload.contains(&text) {
            return;
        }
        // The payload name itself: how is it used?
        let Some(parent) = n.parent() else { return };
        match parent.kind() {
            "member_expression"
                if parent
                    .child_by_field_name("object")
                    .is_some_and(|o| o.id() == n.id()) =>
            {
                if let Some(prop) = parent.child_by_field_name("property")
                    && prop.kind() == "property_identifier"
                {
                    fields.push(QueueField {
                        span: js.cx.span(parent),
                        name: js.t(prop).to_string(),
                    });
                } else {
                    opaque = true;
                }
            }
            // `const data = job.data` / `const { a } = job.data` were handled above.
            "variable_declarator" => {}
            // Passed on, spread, returned, logged: fields may be read elsewhere.
            _ => opaque = true,
        }
    });
    (fields, opaque)
}

fn named_children(n: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = n.walk();
    n.named_children(&mut cursor).collect()
}

/// Adds the keys of a destructuring pattern; returns whether it holds a rest element.
fn pattern_fields(js: &Js<'_, '_>, p: Node<'_>, fields: &mut Vec<QueueField>) -> bool {
    let mut opaque = false;
    for m in named_children(p) {
        match m.kind() {
            "shorthand_property_identifier_pattern" => fields.push(QueueField {
                span: js.cx.span(m),
                name: js.t(m).to_string(),
            }),
            "object_assignment_pattern" => {
                if let Some(l) = m.child_by_field_name("left") {
                    fields.push(QueueField {
                        span: js.cx.span(m),
                        name: js.t(l).to_string(),
                    });
                }
            }
            "pair_pattern" => {
                if let Some(k) = m.child_by_field_name("key").and_then(|k| js.key_name(k)) {
                    fields.push(QueueField {
                        span: js.cx.span(m),
                        name: k,
                    });
                } else {
                    opaque = true;
                }
            }
            "rest_pattern" => opaque = true,
            _ => {}
        }
    }
    opaque
}

/// The function a processor argument names: inline, or a same-file function.
fn processor_fn<'t>(js: &Js<'_, 't>, n: Node<'t>) -> Option<Node<'t>> {
    let n = unwrap(n);
    if is_fn(n) {
        return Some(n);
    }
    if n.kind() == "identifier" {
        let f = js.fn_named(js.t(n), n)?;
        return is_fn(f).then_some(f);
    }
    None
}

fn consumer(
    js: &Js<'_, '_>,
    span: Span,
    system: &str,
    api: String,
    name: &Name,
    processor: Option<Node<'_>>,
) -> QueueConsumer {
    let (fields, fields_opaque) = match processor.and_then(|p| processor_fn(js, p)) {
        Some(f) => processor_fields(js, f, "data"),
        None => (Vec::new(), true),
    };
    let (queues, queues_opaque) = match name {
        Name::Lit(s) => (vec![s.clone()], false),
        _ => (Vec::new(), true),
    };
    QueueConsumer {
        span,
        system: system.to_string(),
        api,
        queues,
        queues_opaque,
        queue_refs: refs_of(std::slice::from_ref(name)),
        fields,
        fields_opaque,
    }
}

fn producer(
    js: &Js<'_, '_>,
    span: Span,
    system: &str,
    api: String,
    name: &Name,
    declared_at: Option<Span>,
    payload: Option<Node<'_>>,
) -> QueueProducer {
    let (queue, queue_prefix) = match name {
        Name::Lit(s) => (Some(s.clone()), None),
        Name::Prefix(p) => (None, Some(p.clone())),
        Name::Ref(_) | Name::Unknown => (None, None),
    };
    let (payload_keys, payload_opaque) = match payload.map(unwrap) {
        Some(o) if o.kind() == "object" => {
            let (keys, opaque) = js.obj_keys(o);
            (
                keys.into_iter().filter(|k| !k.contains('.')).collect(),
                opaque,
            )
        }
        _ => (Vec::new(), true),
    };
    QueueProducer {
        span,
        system: system.to_string(),
        api,
        queue,
        queue_prefix,
        declared_at,
        queue_ref: match name {
            Name::Ref(r) => Some(r.clone()),
            _ => None,
        },
        payload_keys,
        payload_opaque,
    }
}

/// BullMQ, Bull and bee-queue.
fn job_queues(js: &Js<'_, '_>, out: &mut Facts) {
    if !js.imports_any(&[
        "bullmq",
        "bull",
        "bee-queue",
        "@nestjs/bullmq",
        "@nestjs/bull",
    ]) {
        return;
    }
    let mut queues: BTreeMap<String, QueueDecl> = BTreeMap::new();
    for &c in &js.calls {
        if c.kind() != "new_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        let Some(system) = system_of(js, &ct) else {
            continue;
        };
        let last = ct.rsplit('.').next().unwrap_or(&ct);
        let a = args(c);
        let name = a.first().map_or(Name::Unknown, |n| name_of(js, *n));
        match (system, last) {
            ("bullmq", "Worker") => {
                out.queue_consumers.push(consumer(
                    js,
                    js.cx.span(c),
                    system,
                    format!("new {ct}"),
                    &name,
                    a.get(1).copied(),
                ));
            }
            ("bullmq", "Queue") | ("bull" | "bee-queue", _) => {
                if let Some(var) = assigned_var(js, c) {
                    queues.insert(
                        var,
                        QueueDecl {
                            name,
                            span: js.cx.span(c),
                            system,
                        },
                    );
                }
            }
            _ => {}
        }
    }
    inject_queues(js, &mut queues);
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        let Some((recv, method)) = ct.rsplit_once('.') else {
            continue;
        };
        let Some(q) = queues.get(recv) else { continue };
        let a = args(c);
        match (q.system, method) {
            ("bullmq", "add") => out.queue_producers.push(producer(
                js,
                js.cx.span(c),
                q.system,
                ct.clone(),
                &q.name,
                Some(q.span),
                a.get(1).copied(),
            )),
            ("bull", "add") => {
                // add([name,] data, [opts])
                let data = if a.first().is_some_and(|x| js.str_lit(*x).is_some()) {
                    a.get(1)
                } else {
                    a.first()
                };
                out.queue_producers.push(producer(
                    js,
                    js.cx.span(c),
                    q.system,
                    ct.clone(),
                    &q.name,
                    Some(q.span),
                    data.copied(),
                ));
            }
            ("bullmq" | "bull", "addBulk") => out.queue_producers.push(producer(
                js,
                js.cx.span(c),
                q.system,
                ct.clone(),
                &q.name,
                Some(q.span),
                None,
            )),
            ("bee-queue", "createJob") => out.queue_producers.push(producer(
                js,
                js.cx.span(c),
                q.system,
                ct.clone(),
                &q.name,
                Some(q.span),
                a.first().copied(),
            )),
            ("bull" | "bee-queue", "process") => {
                let processor = a.last().copied();
                out.queue_consumers.push(consumer(
                    js,
                    js.cx.span(c),
                    q.system,
                    ct.clone(),
                    &q.name,
                    processor,
                ));
            }
            _ => {}
        }
    }
}

/// NestJS `@InjectQueue('name') private q: Queue` (a constructor parameter or a class
/// field): `this.q` holds the queue.
fn inject_queues(js: &Js<'_, '_>, queues: &mut BTreeMap<String, QueueDecl>) {
    for &c in &js.calls {
        if c.kind() != "call_expression" || js.callee_text(c) != "InjectQueue" {
            continue;
        }
        let Some(system) = system_of(js, "InjectQueue") else {
            continue;
        };
        let Some(holder) = c
            .parent()
            .filter(|d| d.kind() == "decorator")
            .and_then(|d| d.parent())
        else {
            continue;
        };
        let field = match holder.kind() {
            "required_parameter" | "optional_parameter" => holder.child_by_field_name("pattern"),
            "public_field_definition" => holder.child_by_field_name("name"),
            _ => None,
        };
        let Some(field) =
            field.filter(|f| matches!(f.kind(), "identifier" | "property_identifier"))
        else {
            continue;
        };
        let name = args(c).first().map_or(Name::Unknown, |n| name_of(js, *n));
        queues.insert(
            format!("this.{}", js.t(field)),
            QueueDecl {
                name,
                span: js.cx.span(c),
                system,
            },
        );
    }
}

/// NestJS `@Processor('name')` classes.
fn nest_processors(js: &Js<'_, '_>, out: &mut Facts) {
    let system = if js.imports_any(&["@nestjs/bullmq"]) {
        "bullmq"
    } else if js.imports_any(&["@nestjs/bull"]) {
        "bull"
    } else {
        return;
    };
    for &c in &js.calls {
        if c.kind() != "call_expression"
            || js.callee_text(c) != "Processor"
            || c.parent().is_none_or(|p| p.kind() != "decorator")
        {
            continue;
        }
        let a = args(c);
        let name = match a.first().map(|n| unwrap(*n)) {
            Some(o) if o.kind() == "object" => js
                .obj_get(o, "name")
                .map_or(Name::Unknown, |n| name_of(js, n)),
            Some(n) => name_of(js, n),
            None => Name::Unknown,
        };
        let mut cons = consumer(
            js,
            js.cx.span(c),
            system,
            "@Processor".to_string(),
            &name,
            None,
        );
        cons.fields_opaque = true;
        out.queue_consumers.push(cons);
    }
}

/// Whether `recv` holds a Redis client.
fn is_redis(js: &Js<'_, '_>, recv: &str) -> bool {
    if js.clients.get(recv) == Some(&ClientKind::Redis) {
        return true;
    }
    js.imports_any(&["ioredis", "redis", "@redis/client"])
        && recv
            .rsplit('.')
            .next()
            .is_some_and(|r| r.to_ascii_lowercase().contains("redis"))
}

/// Redis lists and streams.
fn redis(js: &Js<'_, '_>, out: &mut Facts) {
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        let Some((recv, method)) = ct.rsplit_once('.') else {
            continue;
        };
        let m = method.to_ascii_lowercase();
        let list_producer = matches!(m.as_str(), "lpush" | "rpush");
        let list_consumer = matches!(
            m.as_str(),
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
                | "lmpop"
                | "blmpop"
        );
        let stream_producer = m == "xadd";
        let stream_consumer = matches!(m.as_str(), "xread" | "xreadgroup" | "xrange" | "xrevrange");
        if !(list_producer || list_consumer || stream_producer || stream_consumer)
            || !is_redis(js, recv)
        {
            continue;
        }
        let a = args(c);
        let system = if list_producer || list_consumer {
            "redis-list"
        } else {
            "redis-stream"
        };
        if list_producer || stream_producer {
            let name = a.first().map_or(Name::Unknown, |n| name_of(js, *n));
            let mut p = producer(js, js.cx.span(c), system, ct.clone(), &name, None, None);
            p.payload_opaque = true;
            out.queue_producers.push(p);
            continue;
        }
        // Consumers: every key argument that resolves.
        let mut names: Vec<Name> = Vec::new();
        if stream_consumer && matches!(m.as_str(), "xread" | "xreadgroup") {
            // `xread('COUNT', 1, 'STREAMS', key, id)`; node-redis `xRead({ key, id })`.
            let mut after = false;
            for x in &a {
                let x = unwrap(*x);
                if after {
                    names.push(name_of(js, x));
                    break;
                }
                if js
                    .str_lit(x)
                    .is_some_and(|s| s.eq_ignore_ascii_case("streams"))
                {
                    after = true;
                }
                if x.kind() == "object"
                    && let Some(k) = js.obj_get(x, "key")
                {
                    names.push(name_of(js, k));
                }
                if x.kind() == "array" {
                    for item in array_items(x) {
                        if let Some(k) = js.obj_get(item, "key") {
                            names.push(name_of(js, k));
                        }
                    }
                }
            }
        } else if let Some(first) = a.first().map(|n| unwrap(*n)) {
            if first.kind() == "array" {
                names.extend(array_items(first).into_iter().map(|x| name_of(js, x)));
            } else if matches!(m.as_str(), "brpop" | "blpop") {
                // `brpop(k1, k2, timeout)`: all but the last.
                let n = a.len().saturating_sub(1).max(1);
                names.extend(a.iter().take(n).map(|x| name_of(js, *x)));
            } else {
                names.push(name_of(js, first));
            }
        }
        let queues: Vec<String> = names
            .iter()
            .filter_map(|n| match n {
                Name::Lit(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        let opaque = names.is_empty() || names.iter().any(|n| !matches!(n, Name::Lit(_)));
        out.queue_consumers.push(QueueConsumer {
            span: js.cx.span(c),
            system: system.to_string(),
            api: ct.clone(),
            queues,
            queues_opaque: opaque,
            queue_refs: Vec::new(),
            fields: Vec::new(),
            fields_opaque: true,
        });
    }
}

/// kafkajs topics and NATS subjects.
fn brokers(js: &Js<'_, '_>, out: &mut Facts) {
    let kafka = js.imports_any(&["kafkajs"]);
    let nats = js.imports_any(&["nats", "nats.ws", "@nats-io/transport-node"]);
    if !kafka && !nats {
        return;
    }
    for &c in &js.calls {
        if c.kind() != "call_expression" {
            continue;
        }
        let ct = js.callee_text(c);
        let Some((_, method)) = ct.rsplit_once('.') else {
            continue;
        };
        let a = args(c);
        if kafka && matches!(method, "send" | "subscribe") {
            let Some(o) = a
                .first()
                .map(|n| unwrap(*n))
                .filter(|o| o.kind() == "object")
            else {
                continue;
            };
            if method == "send" {
                let Some(t) = js.obj_get(o, "topic") else {
                    continue;
                };
                if js.obj_get(o, "messages").is_none() {
                    continue;
                }
                let name = name_of(js, t);
                out.queue_producers.push(producer(
                    js,
                    js.cx.span(c),
                    "kafka",
                    ct.clone(),
                    &name,
                    None,
                    None,
                ));
            } else {
                let mut names = Vec::new();
                if let Some(t) = js.obj_get(o, "topic") {
                    names.push(name_of(js, t));
                }
                if let Some(ts) = js.obj_get(o, "topics").map(unwrap) {
                    if ts.kind() == "array" {
                        names.extend(array_items(ts).into_iter().map(|x| name_of(js, x)));
                    } else {
                        names.push(Name::Unknown);
                    }
                }
                if names.is_empty() {
                    continue;
                }
                push_consumer(js, c, "kafka", &ct, &names, out);
            }
        } else if nats && matches!(method, "publish" | "subscribe") {
            let Some(first) = a.first() else { continue };
            let name = name_of(js, *first);
            if method == "publish" {
                out.queue_producers.push(producer(
                    js,
                    js.cx.span(c),
                    "nats",
                    ct.clone(),
                    &name,
                    None,
                    None,
                ));
            } else {
                push_consumer(js, c, "nats", &ct, &[name], out);
            }
        }
    }
}

fn push_consumer(
    js: &Js<'_, '_>,
    c: Node<'_>,
    system: &str,
    api: &str,
    names: &[Name],
    out: &mut Facts,
) {
    out.queue_consumers.push(QueueConsumer {
        span: js.cx.span(c),
        system: system.to_string(),
        api: api.to_string(),
        queues: names
            .iter()
            .filter_map(|n| match n {
                Name::Lit(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        queues_opaque: names.iter().any(|n| !matches!(n, Name::Lit(_))),
        queue_refs: refs_of(names),
        fields: Vec::new(),
        fields_opaque: true,
    });
}

/// The imported names among `names`, when every name that is not a literal is one.
fn refs_of(names: &[Name]) -> Vec<String> {
    let mut refs = Vec::new();
    for n in names {
        match n {
            Name::Lit(_) => {}
            Name::Ref(r) => refs.push(r.clone()),
            Name::Prefix(_) | Name::Unknown => return Vec::new(),
        }
    }
    refs
}

/// Extracts the facts of this module.
pub(crate) fn extract(js: &Js<'_, '_>, out: &mut Facts) {
    job_queues(js, out);
    nest_processors(js, out);
    redis(js, out);
    brokers(js, out);
    out.queue_producers
        .sort_by_key(|q| (q.span.file.0, q.span.start, q.span.end));
    out.queue_consumers
        .sort_by_key(|q| (q.span.file.0, q.span.start, q.span.end));
}
