//! Go extractor: net/http, gin, echo, chi, gorilla/mux and fiber routes and routers, outbound
//! HTTP calls, env reads, data clients, server starts, signal handling, process exits, logs,
//! SQL executions, CORS and scheduled jobs.
//!
//! One pass over each function body in document order tracks what local variables hold
//! (a router, a `*sql.DB`, an `*http.Server`...), starting from the file's imports (aliases
//! resolved) and from parameter and struct field types. Router names are decided at the end
//! of the file so that routes, declarations, uses and mounts name the same router alike.

mod auth;
mod calls;
mod flow;
mod queues;
mod reliability;
mod routes;
mod security;
mod sql;
mod util;
pub(crate) mod xfile;

use std::collections::{HashMap, HashSet};

use shipready_model::{
    ClientKind, DataClient, ExitContext, Facts, Framework, Import, Middleware, MiddlewareUse,
    Mount, ProcessExit, Route, RouterDecl, ScheduledJob, ServerStart, SignalHandler, Span,
};
use shipready_syntax::code::{Deadline, Nodes};
use tree_sitter::{Node, Tree};

use crate::FileCtx;
use util::{named_children, selector, strip_addr, strip_parens};

/// A package the extractor knows, by import path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Pkg {
    NetHttp,
    Gin,
    Echo,
    EchoMw,
    Chi,
    Gorilla,
    GorillaHandlers,
    Fiber,
    FiberCors,
    Sql,
    Sqlx,
    Pgxpool,
    Pgx,
    Gorm,
    Redis,
    Os,
    Log,
    Slog,
    Fmt,
    Signal,
    RsCors,
    GinCors,
    ChiCors,
    Zap,
    Zerolog,
    ZerologLog,
    Logrus,
    Cron,
    Gocron,
    Time,
    Context,
    Viper,
    Klog,
    Cmp,
    Strings,
    Syscall,
    Mongo,
    Amqp,
    Nats,
    Testing,
}

/// The known package of an import path and its package name.
fn known_package(path: &str) -> Option<(Pkg, &'static str)> {
    // Version segments (`/v5`) are dropped wherever they are.
    let norm: Vec<&str> = path
        .split('/')
        .filter(|s| {
            !(s.len() > 1 && s.starts_with('v') && s[1..].bytes().all(|b| b.is_ascii_digit()))
        })
        .collect();
    let norm = norm.join("/");
    Some(match norm.as_str() {
        "net/http" => (Pkg::NetHttp, "http"),
        "github.com/gin-gonic/gin" => (Pkg::Gin, "gin"),
        "github.com/labstack/echo" => (Pkg::Echo, "echo"),
        "github.com/labstack/echo/middleware" => (Pkg::EchoMw, "middleware"),
        "github.com/go-chi/chi" => (Pkg::Chi, "chi"),
        "github.com/gorilla/mux" => (Pkg::Gorilla, "mux"),
        "github.com/gorilla/handlers" => (Pkg::GorillaHandlers, "handlers"),
        "github.com/gofiber/fiber" => (Pkg::Fiber, "fiber"),
        "github.com/gofiber/fiber/middleware/cors" => (Pkg::FiberCors, "cors"),
        "database/sql" => (Pkg::Sql, "sql"),
        "github.com/jmoiron/sqlx" => (Pkg::Sqlx, "sqlx"),
        "github.com/jackc/pgx/pgxpool" => (Pkg::Pgxpool, "pgxpool"),
        "github.com/jackc/pgx" => (Pkg::Pgx, "pgx"),
        "gorm.io/gorm" | "github.com/jinzhu/gorm" => (Pkg::Gorm, "gorm"),
        "github.com/redis/go-redis" | "github.com/go-redis/redis" => (Pkg::Redis, "redis"),
        "os" => (Pkg::Os, "os"),
        "log" => (Pkg::Log, "log"),
        "log/slog" => (Pkg::Slog, "slog"),
        "fmt" => (Pkg::Fmt, "fmt"),
        "os/signal" => (Pkg::Signal, "signal"),
        "github.com/rs/cors" => (Pkg::RsCors, "cors"),
        "github.com/gin-contrib/cors" => (Pkg::GinCors, "cors"),
        "github.com/go-chi/cors" => (Pkg::ChiCors, "cors"),
        "go.uber.org/zap" => (Pkg::Zap, "zap"),
        "github.com/rs/zerolog" => (Pkg::Zerolog, "zerolog"),
        "github.com/rs/zerolog/log" => (Pkg::ZerologLog, "log"),
        "github.com/sirupsen/logrus" => (Pkg::Logrus, "logrus"),
        "github.com/robfig/cron" => (Pkg::Cron, "cron"),
        "github.com/go-co-op/gocron" => (Pkg::Gocron, "gocron"),
        "time" => (Pkg::Time, "time"),
        "context" => (Pkg::Context, "context"),
        "github.com/spf13/viper" => (Pkg::Viper, "viper"),
        "k8s.io/klog" => (Pkg::Klog, "klog"),
        "github.com/golang/glog" => (Pkg::Klog, "glog"),
        "cmp" => (Pkg::Cmp, "cmp"),
        "strings" => (Pkg::Strings, "strings"),
        "syscall" => (Pkg::Syscall, "syscall"),
        "golang.org/x/sys/unix" => (Pkg::Syscall, "unix"),
        "go.mongodb.org/mongo-driver/mongo" => (Pkg::Mongo, "mongo"),
        "github.com/rabbitmq/amqp091-go" => (Pkg::Amqp, "amqp091"),
        "github.com/streadway/amqp" => (Pkg::Amqp, "amqp"),
        "github.com/nats-io/nats.go" => (Pkg::Nats, "nats"),
        "testing" => (Pkg::Testing, "testing"),
        _ => return None,
    })
}

/// What a type (of a parameter or struct field) tells about the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TypeKind {
    Router(Framework),
    Sql(ClientKind),
    Redis,
    Server,
    HttpClient,
    HandlerCtx,
    Logger,
    Test,
}

/// What a local variable holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Val {
    /// A router (index into `routers`).
    Router(usize),
    /// A data client created here (index into `clients`).
    Client(usize),
    /// The `*sql.DB` under a gorm client (`db.DB()`).
    ClientOf(usize),
    /// A SQL handle whose construction is not visible (parameter, field, transaction).
    SqlHandle(ClientKind),
    /// A Redis client whose construction is not visible.
    RedisHandle,
    /// An `http.Server` (index into `servers`).
    Server(usize),
    /// An `http.Client`; whether it has a timeout when known.
    HttpClient(Option<bool>),
    /// A context with a deadline.
    TimeoutCtx,
    /// An outgoing request.
    Request(Box<Request>),
    /// A pgxpool config (index into `configs`).
    PgxConfig(usize),
    /// A logger.
    Logger,
    /// A robfig/cron scheduler.
    Cron,
    /// A gocron scheduler.
    Gocron,
    /// A value of a handler context type (`*gin.Context`...).
    HandlerCtx,
    /// A testing.T/B.
    Test,
    /// A string literal value.
    Str(String),
    /// A middleware value (`c := cors.New(...)`), by constructor name.
    Mw(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Request {
    method: Option<String>,
    url: String,
    pattern: Option<String>,
    timeout_ctx: bool,
}

/// A router known in the file.
#[derive(Debug, Clone)]
struct RouterInfo {
    var: String,
    func: Option<String>,
    synthetic: bool,
    offset: usize,
    framework: Framework,
}

/// A router reference: a known router or a receiver text whose construction is not visible.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RRef {
    Id(usize),
    Text(String),
}

/// A mount target, resolved at the end of the file.
#[derive(Debug, Clone)]
enum Target {
    Ref(RRef),
    /// The router parameter `idx` of a same-file function.
    FuncParam(String, usize),
    /// The router a same-file function returns; the text to use otherwise.
    FuncReturn(String, String),
}

struct DeclP {
    span: Span,
    id: usize,
    is_app: bool,
    prefix: String,
    parent: Option<RRef>,
}

struct MountP {
    span: Span,
    parent: Option<RRef>,
    prefix: String,
    target: Target,
    middlewares: Vec<Middleware>,
}

struct UseP {
    span: Span,
    router: RRef,
    prefix: Option<String>,
    middlewares: Vec<Middleware>,
}

struct ClientP {
    fact: DataClient,
    func: Option<usize>,
    returned: bool,
}

#[derive(Default)]
struct ServerInfo {
    options: Vec<String>,
    opaque: bool,
}

struct StartP {
    span: Span,
    opaque: bool,
    api: String,
    var: Option<String>,
    port: Option<String>,
    server: Option<usize>,
    extra: Vec<String>,
    router: Option<usize>,
}

struct NotifyP {
    span: Span,
    func: Option<usize>,
    start: usize,
    signals: Vec<String>,
    chan: String,
}

/// A call seen in a function, for shutdown analysis.
struct CallRec {
    func: Option<usize>,
    start: usize,
    method: String,
    recv: String,
    server_recv: bool,
    client_recv: bool,
    deferred: bool,
    callee: Option<String>,
}

struct ExitP {
    fact: ProcessExit,
    func: Option<usize>,
    start: usize,
}

/// Variables of the current function; `overrides` are parameters of nested func literals
/// (chi `r.Route("/x", func(r chi.Router) {...})`) valid inside their byte range.
#[derive(Default)]
struct Scope {
    vars: HashMap<String, Val>,
    overrides: Vec<(usize, usize, String, Val)>,
}

struct Ex<'a, 't> {
    cx: &'a FileCtx<'a>,
    src: &'a str,
    /// Every node of the file in document order (one walk, shared by the passes).
    nodes: &'a Nodes<'t>,
    out: &'a mut Facts,
    pkgs: HashMap<String, Pkg>,
    imported: HashSet<Pkg>,
    consts: HashMap<String, String>,
    const_names: HashSet<String>,
    funcs: HashMap<String, Node<'t>>,
    methods: HashMap<String, Node<'t>>,
    field_types: HashMap<String, TypeKind>,
    mw_funcs: HashSet<String>,
    globals: HashMap<String, Val>,
    scope: Scope,
    cur_fn: Option<usize>,
    cur_fn_name: Option<String>,
    cur_fn_node: Option<Node<'t>>,
    pending_assign: HashMap<usize, String>,
    routers: Vec<RouterInfo>,
    routes: Vec<(Route, Option<RRef>)>,
    decls: Vec<DeclP>,
    mounts: Vec<MountP>,
    uses: Vec<UseP>,
    func_params: HashMap<String, Vec<(usize, usize)>>,
    func_returns: HashMap<String, usize>,
    clients: Vec<ClientP>,
    setters: Vec<(String, String)>,
    configs: Vec<Vec<String>>,
    servers: Vec<ServerInfo>,
    router_opts: HashMap<usize, Vec<String>>,
    starts: Vec<StartP>,
    notifies: Vec<NotifyP>,
    receives: Vec<(Option<usize>, usize, String)>,
    calls: Vec<CallRec>,
    exits: Vec<ExitP>,
    viper_defaults: HashMap<String, String>,
    viper_reads: Vec<usize>,
    fn_index: HashMap<String, usize>,
    global_values: HashMap<String, Node<'t>>,
    global_names: HashSet<String>,
    assign_global: bool,
    pending_global: HashSet<usize>,
    created_routers: HashSet<usize>,
}

/// Extracts the facts of one file.
pub fn extract(cx: &FileCtx<'_>, tree: &Tree, out: &mut Facts) {
    extract_nodes(cx, tree, &Nodes::collect_all(tree), Deadline::never(), out);
}

/// [`extract`] with the file's nodes already collected (the scan collects them once per
/// file), stopping between passes once `deadline` has passed: returns whether every pass ran.
pub fn extract_nodes<'t>(
    cx: &FileCtx<'_>,
    tree: &'t Tree,
    nodes: &Nodes<'t>,
    deadline: Deadline,
    out: &mut Facts,
) -> bool {
    let root = tree.root_node();
    let mut ex = Ex {
        cx,
        src: cx.text,
        nodes,
        out,
        pkgs: HashMap::new(),
        imported: HashSet::new(),
        consts: HashMap::new(),
        const_names: HashSet::new(),
        funcs: HashMap::new(),
        methods: HashMap::new(),
        field_types: HashMap::new(),
        mw_funcs: HashSet::new(),
        globals: HashMap::new(),
        scope: Scope::default(),
        cur_fn: None,
        cur_fn_name: None,
        cur_fn_node: None,
        pending_assign: HashMap::new(),
        routers: Vec::new(),
        routes: Vec::new(),
        decls: Vec::new(),
        mounts: Vec::new(),
        uses: Vec::new(),
        func_params: HashMap::new(),
        func_returns: HashMap::new(),
        clients: Vec::new(),
        setters: Vec::new(),
        configs: Vec::new(),
        servers: Vec::new(),
        router_opts: HashMap::new(),
        starts: Vec::new(),
        notifies: Vec::new(),
        receives: Vec::new(),
        calls: Vec::new(),
        exits: Vec::new(),
        viper_defaults: HashMap::new(),
        viper_reads: Vec::new(),
        fn_index: HashMap::new(),
        global_values: HashMap::new(),
        global_names: HashSet::new(),
        assign_global: false,
        pending_global: HashSet::new(),
        created_routers: HashSet::new(),
    };
    macro_rules! pass {
        ($($e:expr;)*) => {
            $(
                if deadline.passed() {
                    return false;
                }
                $e;
            )*
        };
    }
    pass! {
        ex.run(root);
        reliability::extract(cx, nodes, out);
        queues::extract(cx, root, out);
        security::extract(cx, nodes, out);
        auth::extract(cx, root, out);
        flow::extract(cx, root, out);
    }
    true
}

impl<'a, 't> Ex<'a, 't> {
    fn text(&self, node: Node<'_>) -> &'a str {
        self.src.get(node.byte_range()).unwrap_or("")
    }

    fn span(&self, node: Node<'_>) -> Span {
        self.cx.span(node)
    }

    fn run(&mut self, root: Node<'t>) {
        let top = named_children(root);
        for node in &top {
            if node.kind() == "import_declaration" {
                self.imports(*node);
            }
        }
        self.prepass(root);
        // File-level variables first: every function sees them.
        for node in &top {
            if node.kind() == "var_declaration" {
                self.global_specs(*node);
                self.walk_body(*node);
            }
        }
        let mut idx = 0;
        for node in &top {
            if matches!(node.kind(), "function_declaration" | "method_declaration") {
                if node.kind() == "function_declaration"
                    && let Some(n) = node.child_by_field_name("name")
                {
                    self.fn_index.insert(self.text(n).to_string(), idx);
                }
                self.function(*node, idx);
                idx += 1;
            }
        }
        self.finish();
    }

    fn global_specs(&mut self, decl: Node<'t>) {
        let mut specs = Vec::new();
        util::walk(decl, |n| {
            if n.kind() == "var_spec" {
                specs.push(n);
                return false;
            }
            true
        });
        for spec in specs {
            let mut cur = spec.walk();
            let names: Vec<Node<'t>> = spec.children_by_field_name("name", &mut cur).collect();
            let values = spec
                .child_by_field_name("value")
                .map(named_children)
                .unwrap_or_default();
            let ty = spec
                .child_by_field_name("type")
                .and_then(|t| self.type_kind(t));
            for (i, n) in names.iter().enumerate() {
                let name = self.text(*n).to_string();
                if let Some(v) = values.get(i) {
                    self.global_values.insert(name.clone(), *v);
                }
                self.global_names.insert(name.clone());
                let val = match ty {
                    Some(TypeKind::Sql(k)) => Some(Val::SqlHandle(k)),
                    Some(TypeKind::Redis) => Some(Val::RedisHandle),
                    Some(TypeKind::Logger) => Some(Val::Logger),
                    _ => None,
                };
                if let Some(v) = val {
                    self.globals.insert(name, v);
                }
            }
        }
    }

    fn imports(&mut self, decl: Node<'t>) {
        let mut specs = Vec::new();
        util::walk(decl, |n| {
            if n.kind() == "import_spec" {
                specs.push(n);
                return false;
            }
            true
        });
        for spec in specs {
            let Some(path_node) = spec.child_by_field_name("path") else {
                continue;
            };
            let Some(path) = util::string_value(path_node, self.src) else {
                continue;
            };
            let alias = spec.child_by_field_name("name").map(|n| self.text(n));
            let known = known_package(&path);
            let local = match (alias, known) {
                (Some(a), _) => a.to_string(),
                (None, Some((_, name))) => name.to_string(),
                (None, None) => util::default_local(&path),
            };
            if let Some((pkg, _)) = known {
                self.imported.insert(pkg);
                if local != "_" && local != "." {
                    self.pkgs.insert(local.clone(), pkg);
                }
            }
            self.out.imports.push(Import {
                span: self.span(spec),
                local,
                module: path,
                symbol: "*".to_string(),
                resolved: None,
            });
        }
    }

    /// Same-file functions, methods, constants, struct field types and env struct tags.
    fn prepass(&mut self, root: Node<'t>) {
        let mut tags = Vec::new();
        let mut consts = Vec::new();
        let mut fields = Vec::new();
        for node in named_children(root) {
            match node.kind() {
                "function_declaration" => {
                    if let Some(n) = node.child_by_field_name("name") {
                        let name = self.text(n).to_string();
                        if self.is_middleware_fn(node) {
                            self.mw_funcs.insert(name.clone());
                        }
                        self.funcs.insert(name, node);
                    }
                }
                "method_declaration" => {
                    if let Some(n) = node.child_by_field_name("name") {
                        self.methods.insert(self.text(n).to_string(), node);
                    }
                }
                _ => {}
            }
        }
        for &n in self.nodes.all() {
            match n.kind() {
                "const_spec" => consts.push(n),
                "field_declaration" => {
                    fields.push(n);
                    if let Some(t) = n.child_by_field_name("tag") {
                        tags.push((n, t));
                    }
                }
                _ => {}
            }
        }
        for c in consts {
            let names: Vec<Node<'t>> = {
                let mut cur = c.walk();
                c.children_by_field_name("name", &mut cur).collect()
            };
            let values = c
                .child_by_field_name("value")
                .map(named_children)
                .unwrap_or_default();
            for (i, name) in names.iter().enumerate() {
                let name = self.text(*name).to_string();
                if let Some(v) = values.get(i)
                    && let Some(s) = util::literal_value(*v, self.src)
                {
                    self.consts.insert(name.clone(), s);
                }
                self.const_names.insert(name);
            }
        }
        for f in fields {
            let Some(ty) = f.child_by_field_name("type") else {
                continue;
            };
            let Some(kind) = self.type_kind(ty) else {
                continue;
            };
            let mut cur = f.walk();
            let names: Vec<Node<'t>> = f.children_by_field_name("name", &mut cur).collect();
            for n in names {
                self.field_types.insert(self.text(n).to_string(), kind);
            }
        }
        for (field, tag) in tags {
            self.env_tag(field, tag);
        }
    }

    /// A same-file function shaped like net/http middleware: takes and returns a handler.
    fn is_middleware_fn(&self, func: Node<'_>) -> bool {
        let params = func
            .child_by_field_name("parameters")
            .map_or("", |p| self.text(p));
        let result = func
            .child_by_field_name("result")
            .map_or("", |p| self.text(p));
        let handlerish = |t: &str| {
            t.contains("Handler") || t.contains("HandlerFunc") || t.contains("ResponseWriter")
        };
        handlerish(params) && handlerish(result)
    }

    /// The kind of a type node (pointers stripped), from the file's imports.
    fn type_kind(&self, ty: Node<'_>) -> Option<TypeKind> {
        let mut t = ty;
        for _ in 0..4 {
            if t.kind() == "pointer_type" {
                t = named_children(t).first().copied()?;
            } else {
                break;
            }
        }
        if t.kind() != "qualified_type" {
            return None;
        }
        let pkg = *self
            .pkgs
            .get(self.text(t.child_by_field_name("package")?))?;
        let name = self.text(t.child_by_field_name("name")?);
        Some(match (pkg, name) {
            (Pkg::Gin, "Engine" | "RouterGroup" | "IRouter" | "IRoutes") => {
                TypeKind::Router(Framework::Gin)
            }
            (Pkg::Gin, "Context") => TypeKind::HandlerCtx,
            (Pkg::Echo, "Echo" | "Group") => TypeKind::Router(Framework::Echo),
            (Pkg::Echo, "Context") => TypeKind::HandlerCtx,
            (Pkg::Chi, "Router" | "Mux") => TypeKind::Router(Framework::Chi),
            (Pkg::Gorilla, "Router") => TypeKind::Router(Framework::GorillaMux),
            (Pkg::Fiber, "Router" | "App") => TypeKind::Router(Framework::Fiber),
            (Pkg::Fiber, "Ctx") => TypeKind::HandlerCtx,
            (Pkg::NetHttp, "ServeMux") => TypeKind::Router(Framework::NetHttp),
            (Pkg::NetHttp, "ResponseWriter") => TypeKind::HandlerCtx,
            (Pkg::NetHttp, "Server") => TypeKind::Server,
            (Pkg::NetHttp, "Client") => TypeKind::HttpClient,
            (Pkg::Sql, "DB" | "Tx" | "Conn") | (Pkg::Sqlx, "DB" | "Tx") => {
                TypeKind::Sql(ClientKind::SqlDb)
            }
            (Pkg::Pgxpool, "Pool") | (Pkg::Pgx, "Tx" | "Conn") => {
                TypeKind::Sql(ClientKind::PgxPool)
            }
            (Pkg::Gorm, "DB") => TypeKind::Sql(ClientKind::Gorm),
            (Pkg::Redis, "Client" | "UniversalClient" | "ClusterClient") => TypeKind::Redis,
            (Pkg::Zap, "SugaredLogger")
            | (Pkg::Logrus, "Entry")
            | (Pkg::Zap | Pkg::Zerolog | Pkg::Logrus | Pkg::Slog | Pkg::Log, "Logger") => {
                TypeKind::Logger
            }
            (Pkg::Testing, "T" | "B" | "TB" | "F") => TypeKind::Test,
            _ => return None,
        })
    }

    fn val_of_type(&mut self, kind: TypeKind, name: &str, span: Span, param_idx: usize) -> Val {
        match kind {
            TypeKind::Router(fw) => {
                let id = self.new_router(name, fw, span.start as usize, false);
                self.decls.push(DeclP {
                    span,
                    id,
                    is_app: false,
                    prefix: String::new(),
                    parent: None,
                });
                if let Some(f) = &self.cur_fn_name {
                    self.func_params
                        .entry(f.clone())
                        .or_default()
                        .push((param_idx, id));
                }
                Val::Router(id)
            }
            TypeKind::Sql(k) => Val::SqlHandle(k),
            TypeKind::Redis => Val::RedisHandle,
            TypeKind::Server => {
                self.servers.push(ServerInfo {
                    options: Vec::new(),
                    opaque: true,
                });
                Val::Server(self.servers.len() - 1)
            }
            TypeKind::HttpClient => Val::HttpClient(None),
            TypeKind::HandlerCtx => Val::HandlerCtx,
            TypeKind::Logger => Val::Logger,
            TypeKind::Test => Val::Test,
        }
    }

    fn new_router(&mut self, var: &str, fw: Framework, offset: usize, synthetic: bool) -> usize {
        self.routers.push(RouterInfo {
            var: var.to_string(),
            func: self.cur_fn_name.clone(),
            synthetic,
            offset,
            framework: fw,
        });
        self.routers.len() - 1
    }

    fn function(&mut self, node: Node<'t>, idx: usize) {
        self.scope = Scope::default();
        self.cur_fn = Some(idx);
        self.cur_fn_name = node
            .child_by_field_name("name")
            .map(|n| self.text(n).to_string());
        self.cur_fn_node = Some(node);
        for field in ["receiver", "parameters"] {
            let Some(params) = node.child_by_field_name(field) else {
                continue;
            };
            let mut pidx = 0;
            for p in named_children(params) {
                let Some(ty) = p.child_by_field_name("type") else {
                    continue;
                };
                let mut cur = p.walk();
                let names: Vec<Node<'t>> = p.children_by_field_name("name", &mut cur).collect();
                let kind = self.type_kind(ty);
                for n in names {
                    let name = self.text(n).to_string();
                    if let Some(kind) = kind {
                        let span = self.span(p);
                        let v = self.val_of_type(kind, &name, span, pidx);
                        self.scope.vars.insert(name, v);
                    }
                    if field == "parameters" {
                        pidx += 1;
                    }
                }
            }
        }
        if let Some(body) = node.child_by_field_name("body") {
            self.walk_body(body);
        }
        self.cur_fn = None;
        self.cur_fn_name = None;
        self.cur_fn_node = None;
    }

    fn walk_body(&mut self, body: Node<'t>) {
        let nodes = self.nodes;
        for &n in nodes.subtree(body) {
            self.visit(n);
        }
    }

    fn visit(&mut self, n: Node<'t>) {
        match n.kind() {
            "short_var_declaration" | "assignment_statement" | "var_spec" => self.on_assign(n),
            "call_expression" => self.on_call(n),
            "unary_expression" if util::unary_op(n, self.src) == "<-" => {
                if let Some(op) = n.child_by_field_name("operand") {
                    let t = self.text(op).to_string();
                    self.receives.push((self.cur_fn, n.start_byte(), t));
                }
            }
            "return_statement" => self.on_return(n),
            _ => {}
        }
    }

    /// Looks a name up: func-literal parameters, then the function's variables, then globals.
    fn lookup(&self, name: &str, at: usize) -> Option<Val> {
        let mut best: Option<&(usize, usize, String, Val)> = None;
        for o in &self.scope.overrides {
            if o.2 == name && o.0 <= at && at <= o.1 && best.is_none_or(|b| o.0 >= b.0) {
                best = Some(o);
            }
        }
        if let Some(b) = best {
            return Some(b.3.clone());
        }
        if self.cur_fn.is_some()
            && let Some(v) = self.scope.vars.get(name)
        {
            return Some(v.clone());
        }
        self.globals.get(name).cloned()
    }

    /// What an expression (identifier or selector) holds.
    fn val_of(&mut self, node: Node<'_>) -> Option<Val> {
        let n = strip_parens(node);
        let text = self.text(n);
        if let Some(v) = self.lookup(text, n.start_byte()) {
            return Some(v);
        }
        if let Some((_, field)) = selector(n, self.src)
            && let Some(kind) = self.field_types.get(field).copied()
        {
            return Some(match kind {
                // A router held in a field: known framework, declared elsewhere.
                TypeKind::Router(_) => return None,
                TypeKind::Sql(k) => Val::SqlHandle(k),
                TypeKind::Redis => Val::RedisHandle,
                TypeKind::Server => {
                    self.servers.push(ServerInfo {
                        options: Vec::new(),
                        opaque: true,
                    });
                    Val::Server(self.servers.len() - 1)
                }
                TypeKind::HttpClient => Val::HttpClient(None),
                TypeKind::HandlerCtx => Val::HandlerCtx,
                TypeKind::Logger => Val::Logger,
                TypeKind::Test => Val::Test,
            });
        }
        None
    }

    /// Framework of a router held in a struct field (`s.router` typed `chi.Router`).
    fn field_router(&self, node: Node<'_>) -> Option<Framework> {
        let (_, field) = selector(strip_parens(node), self.src)?;
        match self.field_types.get(field) {
            Some(TypeKind::Router(fw)) => Some(*fw),
            _ => None,
        }
    }

    fn bind(&mut self, name: &str, val: Option<Val>) {
        if name == "_" {
            return;
        }
        let global = self.assign_global
            && self.global_names.contains(name)
            && !self.scope.vars.contains_key(name);
        let map = if self.cur_fn.is_some() && !global {
            &mut self.scope.vars
        } else {
            &mut self.globals
        };
        match val {
            Some(v) => {
                map.insert(name.to_string(), v);
            }
            None => {
                map.remove(name);
            }
        }
    }

    fn pkg_of(&self, node: Node<'_>) -> Option<Pkg> {
        if !matches!(node.kind(), "identifier" | "package_identifier") {
            return None;
        }
        let name = self.text(node);
        if self.lookup(name, node.start_byte()).is_some() {
            return None;
        }
        self.pkgs.get(name).copied()
    }

    fn on_assign(&mut self, n: Node<'t>) {
        let (lefts, rights, op) = if n.kind() == "var_spec" {
            let mut cur = n.walk();
            let names: Vec<Node<'t>> = n.children_by_field_name("name", &mut cur).collect();
            let values = n
                .child_by_field_name("value")
                .map(named_children)
                .unwrap_or_default();
            (names, values, "=")
        } else {
            let l = n
                .child_by_field_name("left")
                .map(named_children)
                .unwrap_or_default();
            let r = n
                .child_by_field_name("right")
                .map(named_children)
                .unwrap_or_default();
            let op = n
                .child_by_field_name("operator")
                .map_or("=", |o| self.text(o));
            (l, r, op)
        };
        if op != "=" && op != ":=" {
            return;
        }
        // `db, err = sql.Open(...)` in a function assigns the file-level `db`.
        self.assign_global = op == "=";
        for (i, lhs) in lefts.iter().enumerate() {
            let name = self.text(*lhs).to_string();
            // Field assignments on configs and servers: `cfg.MaxConns = 10`, `srv.ReadTimeout = ...`.
            if lhs.kind() == "selector_expression" {
                self.field_assign(*lhs);
            }
            let rhs = if rights.len() == lefts.len() {
                rights.get(i).copied()
            } else if i == 0 && rights.len() == 1 {
                rights.first().copied()
            } else {
                None
            };
            let Some(rhs) = rhs else {
                self.bind(&name, None);
                continue;
            };
            let r = strip_addr(rhs, self.src);
            match r.kind() {
                "call_expression" => {
                    self.pending_assign.insert(r.id(), name.clone());
                    if self.assign_global {
                        self.pending_global.insert(r.id());
                    }
                    self.bind(&name, None);
                }
                "composite_literal" => {
                    let v = self.composite_val(r, &name);
                    self.bind(&name, v);
                }
                "identifier" | "selector_expression" => {
                    let v = self.val_of(r);
                    self.bind(&name, v);
                }
                "interpreted_string_literal" | "raw_string_literal" => {
                    let v = util::string_value(r, self.src).map(Val::Str);
                    self.bind(&name, v);
                }
                _ => {
                    self.bind(&name, None);
                }
            }
            self.wrap_uses(r);
        }
        self.assign_global = false;
    }

    /// `cfg.MaxConns = 10` on a pgx config, `srv.ReadTimeout = ...` on a server,
    /// `e.Server.ReadTimeout = ...` on echo.
    fn field_assign(&mut self, lhs: Node<'t>) {
        let text = self.text(lhs).to_string();
        let Some((root, rest)) = text.split_once('.') else {
            return;
        };
        match self.lookup(root, lhs.start_byte()) {
            Some(Val::PgxConfig(i)) => {
                if let Some(c) = self.configs.get_mut(i) {
                    c.push(rest.to_string());
                }
            }
            Some(Val::Server(i)) => {
                if let Some(s) = self.servers.get_mut(i) {
                    s.options.push(rest.to_string());
                }
            }
            Some(Val::Router(id)) => {
                if let Some(field) = rest.strip_prefix("Server.") {
                    self.router_opts
                        .entry(id)
                        .or_default()
                        .push(field.to_string());
                }
            }
            Some(Val::Client(i)) => {
                if let Some(c) = self.clients.get_mut(i) {
                    c.fact.options.push(rest.to_string());
                }
            }
            _ => {}
        }
    }

    /// The value of a composite literal assigned to `name` (`&http.Server{...}`, `&http.Client{}`).
    fn composite_val(&mut self, lit: Node<'t>, _name: &str) -> Option<Val> {
        let ty = lit.child_by_field_name("type")?;
        if ty.kind() != "qualified_type" {
            return None;
        }
        let pkg = self.pkg_of(ty.child_by_field_name("package")?)?;
        let tname = self.text(ty.child_by_field_name("name")?);
        let keys = self.keyed_fields(lit);
        match (pkg, tname) {
            (Pkg::NetHttp, "Server") => {
                self.servers.push(ServerInfo {
                    options: keys
                        .iter()
                        .map(|(k, _)| k.clone())
                        .filter(|k| k != "Addr" && k != "Handler")
                        .collect(),
                    opaque: false,
                });
                if let Some((_, h)) = keys.iter().find(|(k, _)| k == "Handler") {
                    self.wrap_uses(*h);
                }
                Some(Val::Server(self.servers.len() - 1))
            }
            (Pkg::NetHttp, "Client") => Some(Val::HttpClient(Some(
                keys.iter().any(|(k, _)| k == "Timeout"),
            ))),
            _ => None,
        }
    }

    /// `(key, value node)` of the keyed elements of a composite literal.
    fn keyed_fields(&self, lit: Node<'t>) -> Vec<(String, Node<'t>)> {
        let Some(body) = lit.child_by_field_name("body") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for el in named_children(body) {
            if el.kind() != "keyed_element" {
                continue;
            }
            let (Some(k), Some(v)) = (
                el.child_by_field_name("key"),
                el.child_by_field_name("value"),
            ) else {
                continue;
            };
            let v = named_children(v).first().copied().unwrap_or(v);
            out.push((self.text(k).to_string(), v));
        }
        out
    }

    fn on_return(&mut self, n: Node<'t>) {
        let Some(list) = named_children(n).first().copied() else {
            return;
        };
        let exprs = if list.kind() == "expression_list" {
            named_children(list)
        } else {
            vec![list]
        };
        for e in exprs {
            match self.val_of(e) {
                Some(Val::Router(id)) => {
                    if let Some(f) = self.cur_fn_name.clone() {
                        self.func_returns.entry(f).or_insert(id);
                    }
                }
                Some(Val::Client(i)) => {
                    if let Some(c) = self.clients.get_mut(i) {
                        c.returned = true;
                    }
                }
                _ => {}
            }
        }
    }

    fn on_call(&mut self, call: Node<'t>) {
        let Some(func) = call.child_by_field_name("function") else {
            return;
        };
        let assigned = self.pending_assign.remove(&call.id());
        let global = self.pending_global.remove(&call.id());
        let val = self.dispatch(call, func, assigned.as_deref());
        self.record_call(call, func);
        if let Some(name) = assigned {
            let saved = std::mem::replace(&mut self.assign_global, global);
            self.bind(&name, val);
            self.assign_global = saved;
        }
    }

    fn record_call(&mut self, call: Node<'t>, func: Node<'t>) {
        if self.cur_fn.is_none() {
            return;
        }
        let deferred = call.parent().is_some_and(|p| p.kind() == "defer_statement");
        let (method, recv, recv_node) = match selector(func, self.src) {
            Some((op, field)) => (field.to_string(), self.text(op).to_string(), Some(op)),
            None => (String::new(), String::new(), None),
        };
        let callee = (func.kind() == "identifier").then(|| self.text(func).to_string());
        let val = recv_node.and_then(|r| self.val_of(r));
        let server_recv = match &val {
            Some(Val::Server(_)) => true,
            Some(Val::Router(id)) => self
                .routers
                .get(*id)
                .is_some_and(|r| matches!(r.framework, Framework::Echo | Framework::Fiber)),
            _ => {
                let l = util::last_segment(&recv).to_ascii_lowercase();
                l.contains("srv") || l.contains("server") || l == "app" || l == "e"
            }
        };
        let client_recv = match &val {
            Some(Val::Client(_) | Val::ClientOf(_) | Val::SqlHandle(_) | Val::RedisHandle) => true,
            Some(_) => false,
            None => {
                let l = util::last_segment(&recv).to_ascii_lowercase();
                [
                    "db", "redis", "rdb", "pool", "store", "cache", "client", "conn", "queue",
                    "producer", "consumer", "nats", "kafka", "mongo", "sql", "repo", "nc", "mq",
                ]
                .iter()
                .any(|k| l.contains(k))
            }
        };
        self.calls.push(CallRec {
            func: self.cur_fn,
            start: call.start_byte(),
            method,
            recv,
            server_recv,
            client_recv,
            deferred,
            callee,
        });
    }

    fn dispatch(&mut self, call: Node<'t>, func: Node<'t>, assigned: Option<&str>) -> Option<Val> {
        let args = util::call_args(call);
        match func.kind() {
            "identifier" => {
                let name = self.text(func);
                self.ident_call(call, name, &args);
                None
            }
            "selector_expression" => {
                let (operand, field) = selector(func, self.src)?;
                if let Some(pkg) = self.pkg_of(operand) {
                    return self.pkg_call(call, pkg, field, &args, assigned);
                }
                self.method_call(call, operand, field, &args, assigned)
            }
            _ => None,
        }
    }

    /// The routers decided names: the variable name, qualified by function when two routers
    /// of the file share it.
    fn router_names(&self) -> Vec<String> {
        let mut count: HashMap<&str, usize> = HashMap::new();
        for r in &self.routers {
            *count.entry(r.var.as_str()).or_default() += 1;
        }
        let firsts: Vec<String> = self
            .routers
            .iter()
            .map(|r| {
                if r.synthetic {
                    format!("{}@{}", r.var, r.offset)
                } else if count.get(r.var.as_str()).copied().unwrap_or(0) <= 1 {
                    r.var.clone()
                } else {
                    match &r.func {
                        Some(f) => format!("{f}.{}", r.var),
                        None => r.var.clone(),
                    }
                }
            })
            .collect();
        let mut count2: HashMap<&str, usize> = HashMap::new();
        for n in &firsts {
            *count2.entry(n.as_str()).or_default() += 1;
        }
        firsts
            .iter()
            .zip(&self.routers)
            .map(|(n, r)| {
                if count2.get(n.as_str()).copied().unwrap_or(0) > 1 && !r.synthetic {
                    format!("{n}@{}", r.offset)
                } else {
                    n.clone()
                }
            })
            .collect()
    }

    fn finish(&mut self) {
        let names = self.router_names();
        let name_of = |r: &RRef| -> String {
            match r {
                RRef::Id(i) => names.get(*i).cloned().unwrap_or_default(),
                RRef::Text(t) => t.clone(),
            }
        };
        for (mut route, r) in std::mem::take(&mut self.routes) {
            route.router = r.as_ref().map(&name_of);
            self.out.routes.push(route);
        }
        for d in std::mem::take(&mut self.decls) {
            let Some(info) = self.routers.get(d.id) else {
                continue;
            };
            self.out.routers.push(RouterDecl {
                span: d.span,
                name: name_of(&RRef::Id(d.id)),
                is_app: d.is_app,
                prefix: d.prefix,
                parent: d.parent.as_ref().map(&name_of),
                framework: info.framework,
            });
        }
        for m in std::mem::take(&mut self.mounts) {
            let target = match &m.target {
                Target::Ref(r) => name_of(r),
                Target::FuncParam(f, i) => match self
                    .func_params
                    .get(f)
                    .and_then(|v| v.iter().find(|(pi, _)| pi == i))
                {
                    Some((_, id)) => name_of(&RRef::Id(*id)),
                    // The function takes no router there: not a mount.
                    None => continue,
                },
                Target::FuncReturn(f, fallback) => match self.func_returns.get(f) {
                    Some(id) => name_of(&RRef::Id(*id)),
                    None => fallback.clone(),
                },
            };
            self.out.mounts.push(Mount {
                span: m.span,
                parent: m.parent.as_ref().map(&name_of),
                prefix: m.prefix,
                target,
                middlewares: m.middlewares,
            });
        }
        for u in std::mem::take(&mut self.uses) {
            self.out.middleware_uses.push(MiddlewareUse {
                span: u.span,
                router: Some(name_of(&u.router)),
                prefix: u.prefix,
                middlewares: u.middlewares,
            });
        }
        // Data clients: setter calls on the variable anywhere in the file.
        for c in std::mem::take(&mut self.clients) {
            let mut fact = c.fact;
            if let Some(var) = &fact.var {
                for (recv, method) in &self.setters {
                    if recv == var {
                        fact.options.push(method.clone());
                    }
                }
            }
            let mut seen = HashSet::new();
            fact.options.retain(|o| seen.insert(o.clone()));
            if c.returned && fact.options.is_empty() {
                fact.options_opaque = true;
            }
            let _ = c.func;
            self.out.data_clients.push(fact);
        }
        for s in std::mem::take(&mut self.starts) {
            let (mut options, opaque) = match s.server.and_then(|i| self.servers.get(i)) {
                Some(info) => (info.options.clone(), info.opaque || s.opaque),
                None => (Vec::new(), s.opaque),
            };
            options.extend(s.extra);
            if let Some(r) = s.router
                && let Some(extra) = self.router_opts.get(&r)
            {
                options.extend(extra.iter().cloned());
            }
            let mut seen = HashSet::new();
            options.retain(|o| seen.insert(o.clone()));
            self.out.server_starts.push(ServerStart {
                span: s.span,
                api: s.api,
                var: s.var,
                port: s.port,
                options,
                options_opaque: opaque,
            });
        }
        self.finish_signals();
        for e in std::mem::take(&mut self.exits) {
            self.out.process_exits.push(e.fact);
        }
        for i in std::mem::take(&mut self.viper_reads) {
            if let Some(r) = self.out.env_reads.get_mut(i)
                && r.default.is_none()
            {
                r.default = self.viper_defaults.get(&r.name).cloned();
            }
        }
    }

    fn finish_signals(&mut self) {
        for n in std::mem::take(&mut self.notifies) {
            let mut closes = false;
            let mut cleanups: Vec<String> = Vec::new();
            let mut exits = false;
            let mut look = |recs: &[&CallRec], all: bool| {
                for c in recs {
                    let after = all || c.start > n.start || c.deferred;
                    if !after {
                        continue;
                    }
                    let shutdown = matches!(
                        c.method.as_str(),
                        "Shutdown" | "ShutdownWithContext" | "ShutdownWithTimeout"
                    );
                    if c.server_recv && (shutdown || c.method == "Close") {
                        closes = true;
                    } else if c.client_recv && matches!(c.method.as_str(), "Close" | "Disconnect") {
                        let name = format!("{}.{}", c.recv, c.method);
                        if !cleanups.contains(&name) {
                            cleanups.push(name);
                        }
                    }
                }
            };
            let in_fn: Vec<&CallRec> = self.calls.iter().filter(|c| c.func == n.func).collect();
            look(&in_fn, false);
            // One level into same-file functions called after the Notify.
            let callees: Vec<String> = in_fn
                .iter()
                .filter(|c| c.start > n.start)
                .filter_map(|c| c.callee.clone())
                .collect();
            for callee in callees {
                if let Some(fi) = self.fn_index.get(&callee) {
                    let recs: Vec<&CallRec> =
                        self.calls.iter().filter(|c| c.func == Some(*fi)).collect();
                    look(&recs, true);
                }
            }
            for e in &self.exits {
                if e.func == n.func && e.start > n.start {
                    exits = true;
                }
            }
            self.out.signal_handlers.push(SignalHandler {
                span: n.span,
                signals: n.signals,
                closes_server: closes,
                cleanups,
                exits,
            });
        }
    }

    fn push_job(&mut self, call: Node<'t>, api: String, body: Option<Span>) {
        self.out.scheduled_jobs.push(ScheduledJob {
            span: self.span(call),
            api,
            body,
            target: None,
        });
    }

    fn push_exit(&mut self, call: Node<'t>, api: String) {
        let context = self.exit_context(call);
        self.exits.push(ExitP {
            fact: ProcessExit {
                span: self.span(call),
                api,
                context,
            },
            func: self.cur_fn,
            start: call.start_byte(),
        });
    }

    /// Where an exit sits: a request handler, the error branch after a client call, a
    /// signal handler, or elsewhere.
    fn exit_context(&mut self, call: Node<'t>) -> ExitContext {
        // Request handler: an enclosing function with a handler signature.
        let mut cur = util::enclosing_fn(call);
        let mut in_goroutine = false;
        for _ in 0..util::MAX_DEPTH {
            let Some(f) = cur else { break };
            if f.kind() == "func_literal"
                && f.parent()
                    .and_then(|p| p.parent())
                    .is_some_and(|gp| gp.kind() == "go_statement")
            {
                in_goroutine = true;
            }
            if self.has_handler_signature(f) {
                let name = (f.kind() != "func_literal")
                    .then(|| {
                        f.child_by_field_name("name")
                            .map(|n| self.text(n).to_string())
                    })
                    .flatten();
                return ExitContext::RequestHandler { handler: name };
            }
            cur = util::enclosing_fn(f);
        }
        if let Some((checked, kind)) = self.checked_client_call(call) {
            let fname = self.cur_fn_name.clone().unwrap_or_default();
            let l = fname.to_ascii_lowercase();
            let startup_name = matches!(l.as_str(), "main" | "init" | "run" | "start")
                || [
                    "setup",
                    "init",
                    "new",
                    "connect",
                    "open",
                    "must",
                    "load",
                    "bootstrap",
                ]
                .iter()
                .any(|p| l.starts_with(p));
            return ExitContext::ClientError {
                call: checked,
                client: kind,
                at_startup: startup_name && !in_goroutine,
            };
        }
        let at = call.start_byte();
        for n in &self.notifies {
            if n.func == self.cur_fn && n.start < at {
                let received = self
                    .receives
                    .iter()
                    .any(|(f, s, t)| *f == self.cur_fn && *s > n.start && *s < at && *t == n.chan);
                if received {
                    return ExitContext::SignalHandler;
                }
            }
        }
        ExitContext::Other
    }

    fn has_handler_signature(&self, f: Node<'_>) -> bool {
        let Some(params) = f.child_by_field_name("parameters") else {
            return false;
        };
        named_children(params).iter().any(|p| {
            p.child_by_field_name("type")
                .and_then(|t| self.type_kind(t))
                == Some(TypeKind::HandlerCtx)
        })
    }

    /// When `call` sits in an `if err != nil` branch right after a call on a data client,
    /// that call and the client kind.
    fn checked_client_call(&mut self, call: Node<'t>) -> Option<(String, Option<ClientKind>)> {
        let mut cur = call.parent();
        let mut child = call;
        for _ in 0..util::MAX_DEPTH {
            let n = cur?;
            if matches!(
                n.kind(),
                "func_literal" | "function_declaration" | "method_declaration"
            ) {
                return None;
            }
            if n.kind() == "if_statement"
                && n.child_by_field_name("consequence")
                    .is_some_and(|c| util::within(child, c))
                && n.child_by_field_name("condition")
                    .is_some_and(|c| util::is_err_check(c, self.src))
            {
                let checked = n.child_by_field_name("initializer").or_else(|| {
                    let mut p = n.prev_named_sibling();
                    while let Some(x) = p {
                        if x.kind() != "comment" {
                            break;
                        }
                        p = x.prev_named_sibling();
                    }
                    p
                });
                return checked.and_then(|c| self.client_call_in(c));
            }
            child = n;
            cur = n.parent();
        }
        None
    }

    fn client_call_in(&mut self, stmt: Node<'t>) -> Option<(String, Option<ClientKind>)> {
        let mut calls = Vec::new();
        util::walk(stmt, |n| {
            if n.kind() == "call_expression" {
                calls.push(n);
            }
            n.kind() != "func_literal"
        });
        for c in calls {
            let Some(func) = c.child_by_field_name("function") else {
                continue;
            };
            let Some((op, field)) = selector(func, self.src) else {
                continue;
            };
            let text = self.text(func).to_string();
            if let Some(pkg) = self.pkg_of(op) {
                let kind = match (pkg, field) {
                    (Pkg::Sql, "Open" | "OpenDB") | (Pkg::Sqlx, _) => Some(ClientKind::SqlDb),
                    (Pkg::Pgxpool, _) | (Pkg::Pgx, "Connect" | "ConnectConfig") => {
                        Some(ClientKind::PgxPool)
                    }
                    (Pkg::Gorm, "Open") => Some(ClientKind::Gorm),
                    (Pkg::Redis, "ParseURL" | "ParseClusterURL") => Some(ClientKind::Redis),
                    (Pkg::Mongo, "Connect" | "NewClient") => Some(ClientKind::Mongo),
                    (Pkg::Amqp, "Dial" | "DialConfig") | (Pkg::Nats, "Connect") => {
                        Some(ClientKind::Queue)
                    }
                    _ => continue,
                };
                return Some((text, kind));
            }
            if !matches!(op.kind(), "identifier" | "selector_expression") {
                continue;
            }
            match self.val_of(op) {
                Some(Val::Client(i)) => {
                    let kind = self.clients.get(i).map(|c| c.fact.kind);
                    return Some((text, kind));
                }
                Some(Val::ClientOf(i)) => {
                    let kind = self.clients.get(i).map(|c| c.fact.kind);
                    return Some((text, kind));
                }
                Some(Val::SqlHandle(k)) => return Some((text, Some(k))),
                Some(Val::RedisHandle) => return Some((text, Some(ClientKind::Redis))),
                _ => {}
            }
            let recv = self.text(op).to_ascii_lowercase();
            let recv = util::last_segment(&recv);
            let dbish = recv == "db" || recv.ends_with("db") || recv == "pool" || recv == "tx";
            let sql_method = matches!(
                field.trim_end_matches("Context"),
                "Query" | "QueryRow" | "Exec" | "Prepare" | "Begin" | "BeginTx"
            );
            if matches!(field, "Ping" | "PingContext") || (dbish && sql_method) {
                return Some((text, None));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_packages_ignore_versions() {
        assert_eq!(
            known_package("github.com/jackc/pgx/v5/pgxpool").map(|p| p.0),
            Some(Pkg::Pgxpool)
        );
        assert_eq!(
            known_package("github.com/redis/go-redis/v9").map(|p| p.1),
            Some("redis")
        );
        assert_eq!(known_package("github.com/x/y"), None);
    }
}
