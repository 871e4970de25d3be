//! Queue producers and consumers of Go code: segmentio/kafka-go (`kafka.Writer{Topic}`,
//! `kafka.Message{Topic}`, `kafka.ReaderConfig{Topic, GroupTopics}`), IBM/Shopify sarama
//! (`sarama.ProducerMessage{Topic}`, `ConsumePartition(topic, ..)`, consumer group
//! `Consume(ctx, []string{..}, h)`), nats.go (`Publish`/`PublishMsg` vs `Subscribe`,
//! `QueueSubscribe`, `ChanSubscribe`, `PullSubscribe`; the `jetstream` package's consumers
//! count as unresolved) and asynq (`asynq.NewTask(type, ..)` vs `mux.HandleFunc(type, ..)`).
//! Names resolve from literals and constants of the same file; anything else is left
//! unresolved, never guessed.

use std::collections::HashMap;

use shipready_model::{Facts, QueueConsumer, QueueProducer};
use tree_sitter::Node;

use super::util::{
    call_args, named_children, selector, string_value, strip_addr, strip_parens, walk,
};
use crate::FileCtx;

/// A Go queue library, by import path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lib {
    KafkaGo,
    Sarama,
    Nats,
    JetStream,
    Asynq,
}

fn lib_of(path: &str) -> Option<(Lib, &'static str)> {
    Some(match path {
        "github.com/segmentio/kafka-go" => (Lib::KafkaGo, "kafka"),
        "github.com/IBM/sarama" | "github.com/Shopify/sarama" => (Lib::Sarama, "sarama"),
        "github.com/nats-io/nats.go" => (Lib::Nats, "nats"),
        "github.com/nats-io/nats.go/jetstream" => (Lib::JetStream, "jetstream"),
        "github.com/hibiken/asynq" => (Lib::Asynq, "asynq"),
        _ => return None,
    })
}

struct Q<'a> {
    cx: &'a FileCtx<'a>,
    /// Local package name -> library.
    pkgs: HashMap<String, Lib>,
    /// Same-file string constants.
    consts: HashMap<String, String>,
    /// Variables assigned `asynq.NewServeMux()`.
    muxes: Vec<String>,
}

impl Q<'_> {
    fn t(&self, n: Node<'_>) -> &str {
        self.cx.text.get(n.byte_range()).unwrap_or("")
    }

    fn has(&self, lib: Lib) -> bool {
        self.pkgs.values().any(|l| *l == lib)
    }

    /// The library and type name of a qualified type (`kafka.Message`).
    fn qualified(&self, ty: Node<'_>) -> Option<(Lib, String)> {
        let ty = if ty.kind() == "generic_type" {
            ty.child_by_field_name("type")?
        } else {
            ty
        };
        if ty.kind() != "qualified_type" {
            return None;
        }
        let pkg = self.t(ty.child_by_field_name("package")?);
        let name = self.t(ty.child_by_field_name("name")?);
        Some((*self.pkgs.get(pkg)?, name.to_string()))
    }

    /// The value of a name expression: a literal or a same-file constant.
    fn name(&self, n: Node<'_>) -> Option<String> {
        let n = strip_parens(n);
        if let Some(s) = string_value(n, self.cx.text) {
            return Some(s);
        }
        if n.kind() == "identifier" {
            return self.consts.get(self.t(n)).cloned();
        }
        None
    }

    /// Fields of a composite literal: key text -> value node.
    fn fields<'t>(&self, lit: Node<'t>) -> Vec<(String, Node<'t>)> {
        let Some(body) = lit.child_by_field_name("body") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for el in named_children(body) {
            if el.kind() != "keyed_element" {
                continue;
            }
            let parts = named_children(el);
            let (Some(k), Some(v)) = (parts.first(), parts.get(1)) else {
                continue;
            };
            let inner = |x: Node<'t>| {
                if x.kind() == "literal_element" {
                    named_children(x).first().copied().unwrap_or(x)
                } else {
                    x
                }
            };
            out.push((self.t(inner(*k)).to_string(), inner(*v)));
        }
        out
    }

    /// Names listed in a `[]string{..}` literal (or one name); `None` entries did not resolve.
    fn names(&self, n: Node<'_>) -> Vec<Option<String>> {
        let n = strip_parens(n);
        if n.kind() == "composite_literal" {
            let Some(body) = n.child_by_field_name("body") else {
                return vec![None];
            };
            return named_children(body)
                .into_iter()
                .map(|el| {
                    let v = if el.kind() == "literal_element" {
                        named_children(el).first().copied().unwrap_or(el)
                    } else {
                        el
                    };
                    self.name(v)
                })
                .collect();
        }
        vec![self.name(n)]
    }

    fn producer(
        &self,
        n: Node<'_>,
        system: &str,
        api: String,
        name: Option<String>,
    ) -> QueueProducer {
        QueueProducer {
            span: self.cx.span(n),
            system: system.to_string(),
            api,
            queue: name,
            queue_prefix: None,
            declared_at: None,
            queue_ref: None,
            payload_keys: Vec::new(),
            payload_opaque: true,
        }
    }

    fn consumer(
        &self,
        n: Node<'_>,
        system: &str,
        api: String,
        names: &[Option<String>],
    ) -> QueueConsumer {
        QueueConsumer {
            span: self.cx.span(n),
            system: system.to_string(),
            api,
            queues: names.iter().flatten().cloned().collect(),
            queues_opaque: names.is_empty() || names.iter().any(Option::is_none),
            queue_refs: Vec::new(),
            fields: Vec::new(),
            fields_opaque: true,
        }
    }

    /// Composite literals: kafka-go writers, messages and reader configs; sarama messages.
    fn literal(&self, lit: Node<'_>, out: &mut Facts) {
        let Some((lib, ty)) = lit
            .child_by_field_name("type")
            .and_then(|t| self.qualified(t))
        else {
            return;
        };
        let fields = self.fields(lit);
        let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| *v);
        let api = self
            .t(lit.child_by_field_name("type").unwrap_or(lit))
            .to_string();
        match (lib, ty.as_str()) {
            (Lib::KafkaGo, "Writer" | "WriterConfig" | "Message")
            | (Lib::Sarama, "ProducerMessage") => {
                // A writer without a topic takes it from each message.
                let Some(t) = get("Topic") else { return };
                out.queue_producers
                    .push(self.producer(lit, "kafka", api, self.name(t)));
            }
            (Lib::KafkaGo, "ReaderConfig") => {
                let mut names = Vec::new();
                if let Some(t) = get("Topic") {
                    names.push(self.name(t));
                }
                if let Some(ts) = get("GroupTopics") {
                    names.extend(self.names(ts));
                }
                if names.is_empty() {
                    return;
                }
                out.queue_consumers
                    .push(self.consumer(lit, "kafka", api, &names));
            }
            _ => {}
        }
    }

    /// Calls: sarama consumers, NATS publish/subscribe, asynq tasks and handlers.
    fn call(&self, call: Node<'_>, out: &mut Facts) {
        let Some(f) = call.child_by_field_name("function") else {
            return;
        };
        let Some((operand, method)) = selector(f, self.cx.text) else {
            return;
        };
        let api = self
            .t(f)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>();
        let recv_pkg = (operand.kind() == "identifier")
            .then(|| self.pkgs.get(self.t(operand)).copied())
            .flatten();
        let args = call_args(call);
        if self.has(Lib::Sarama) && recv_pkg.is_none() {
            match method {
                // consumer.ConsumePartition(topic, partition, offset)
                "ConsumePartition" if args.len() == 3 => {
                    let names = vec![args.first().and_then(|a| self.name(*a))];
                    out.queue_consumers
                        .push(self.consumer(call, "kafka", api, &names));
                    return;
                }
                // group.Consume(ctx, []string{..}, handler)
                "Consume" if args.len() == 3 => {
                    let names = args.get(1).map(|a| self.names(*a)).unwrap_or_default();
                    out.queue_consumers
                        .push(self.consumer(call, "kafka", api, &names));
                    return;
                }
                _ => {}
            }
        }
        if self.has(Lib::Nats) && recv_pkg.is_none() {
            match method {
                "Publish" | "PublishMsg" | "PublishAsync" | "PublishMsgAsync"
                    if !args.is_empty() =>
                {
                    let name = self.nats_subject(&args, method.contains("Msg"));
                    out.queue_producers
                        .push(self.producer(call, "nats", api, name));
                    return;
                }
                "Subscribe"
                | "SubscribeSync"
                | "QueueSubscribe"
                | "QueueSubscribeSync"
                | "ChanSubscribe"
                | "ChanQueueSubscribe"
                | "QueueSubscribeSyncWithChan"
                | "PullSubscribe"
                    if !args.is_empty() =>
                {
                    let names = vec![args.first().and_then(|a| self.name(*a))];
                    out.queue_consumers
                        .push(self.consumer(call, "nats", api, &names));
                    return;
                }
                _ => {}
            }
        }
        if self.has(Lib::JetStream)
            && recv_pkg.is_none()
            && matches!(
                method,
                "CreateConsumer" | "CreateOrUpdateConsumer" | "Consumer" | "OrderedConsumer"
            )
        {
            // The subjects are filters of a stream configured elsewhere: unresolved.
            out.queue_consumers
                .push(self.consumer(call, "nats", api, &[None]));
            return;
        }
        if self.has(Lib::Asynq) {
            match (recv_pkg, method) {
                (Some(Lib::Asynq), "NewTask") => {
                    let name = args.first().and_then(|a| self.name(*a));
                    out.queue_producers
                        .push(self.producer(call, "asynq", api, name));
                }
                (None, "HandleFunc" | "Handle")
                    if args.len() == 2 && self.muxes.iter().any(|m| m == self.t(operand)) =>
                {
                    let names = vec![args.first().and_then(|a| self.name(*a))];
                    out.queue_consumers
                        .push(self.consumer(call, "asynq", api, &names));
                }
                _ => {}
            }
        }
    }

    /// The subject of a NATS publish: the first argument (the second after a context, as in
    /// the `jetstream` package), or the `Subject` of a `&nats.Msg{..}`.
    fn nats_subject(&self, args: &[Node<'_>], msg: bool) -> Option<String> {
        let first = *args.first()?;
        let is_ctx = |n: Node<'_>| {
            let t = self.t(n);
            t == "ctx" || t.starts_with("context.")
        };
        let arg = if is_ctx(first) { *args.get(1)? } else { first };
        if msg {
            let lit = strip_addr(arg, self.cx.text);
            if lit.kind() != "composite_literal" {
                return None;
            }
            let (_, v) = self.fields(lit).into_iter().find(|(k, _)| k == "Subject")?;
            return self.name(v);
        }
        self.name(arg)
    }
}

/// Extracts the queue facts of one Go file.
pub(super) fn extract(cx: &FileCtx<'_>, root: Node<'_>, out: &mut Facts) {
    let mut q = Q {
        cx,
        pkgs: HashMap::new(),
        consts: HashMap::new(),
        muxes: Vec::new(),
    };
    for spec in specs(root, "import_spec") {
        let Some(path) = spec
            .child_by_field_name("path")
            .and_then(|p| string_value(p, cx.text))
        else {
            continue;
        };
        let Some((lib, default)) = lib_of(&path) else {
            continue;
        };
        let local = spec.child_by_field_name("name").map_or(default, |n| q.t(n));
        if local != "_" && local != "." {
            q.pkgs.insert(local.to_string(), lib);
        }
    }
    if q.pkgs.is_empty() {
        return;
    }
    // Same-file constants with a string value (`const Topic = "orders"`).
    for spec in specs(root, "const_spec") {
        let mut cur = spec.walk();
        let names: Vec<Node<'_>> = spec.children_by_field_name("name", &mut cur).collect();
        let values = spec
            .child_by_field_name("value")
            .map(named_children)
            .unwrap_or_default();
        for (n, v) in names.iter().zip(values) {
            if let Some(s) = string_value(strip_parens(v), cx.text) {
                q.consts.insert(q.t(*n).to_string(), s);
            }
        }
    }
    // `mux := asynq.NewServeMux()`.
    for decl in specs(root, "short_var_declaration") {
        let (Some(l), Some(r)) = (
            decl.child_by_field_name("left"),
            decl.child_by_field_name("right"),
        ) else {
            continue;
        };
        let (ls, rs) = (named_children(l), named_children(r));
        for (name, value) in ls.iter().zip(rs) {
            let callee = (value.kind() == "call_expression")
                .then(|| value.child_by_field_name("function"))
                .flatten()
                .and_then(|f| selector(f, cx.text));
            if let Some((pkg, "NewServeMux")) = callee
                && q.pkgs.get(q.t(pkg)) == Some(&Lib::Asynq)
            {
                q.muxes.push(q.t(*name).to_string());
            }
        }
    }
    walk(root, |n| {
        match n.kind() {
            "composite_literal" => q.literal(n, out),
            "call_expression" => q.call(n, out),
            _ => {}
        }
        true
    });
}

/// Every node of a kind in the file (declarations at any level).
fn specs<'t>(root: Node<'t>, kind: &str) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    walk(root, |n| {
        if n.kind() == kind {
            out.push(n);
            return false;
        }
        true
    });
    out
}
