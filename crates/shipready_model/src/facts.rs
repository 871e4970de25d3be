//! Language-neutral facts. Extractors in `shipready_facts` produce them from syntax; rules
//! read them. A fact never holds syntax nodes, only strings, flags and spans.

use serde::{Deserialize, Serialize};

use crate::Span;

/// Web framework (or client library family) a fact comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Framework {
    /// Express 4 (async rejections are not forwarded)
    Express,
    /// Express 5 (forwards rejected promises to the error handler)
    Express5,
    /// Fastify
    Fastify,
    /// Koa
    Koa,
    /// NestJS
    Nest,
    /// Next.js API routes (pages/api and app router route handlers); also Remix / React
    /// Router resource routes (`app/routes/*` modules exporting `loader`/`action`), which
    /// share their shape: file-based, auth and errors handled in the module
    Next,
    /// Hono
    Hono,
    /// FastAPI
    FastApi,
    /// Flask
    Flask,
    /// Django
    Django,
    /// Go net/http (`http.HandleFunc`, `ServeMux`)
    NetHttp,
    /// gin
    Gin,
    /// echo
    Echo,
    /// chi
    Chi,
    /// gorilla/mux
    GorillaMux,
    /// fiber
    Fiber,
    /// Not known
    Other,
}

impl Framework {
    /// Whether the framework catches errors of async handlers by itself.
    pub fn handles_async_errors(self) -> bool {
        !matches!(self, Framework::Express | Framework::Koa | Framework::Other)
    }
}

/// A middleware (or dependency, decorator, guard) in a route's chain, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Middleware {
    /// Name as written (`authenticate`, `rateLimit`, `Depends(get_current_user)` -> `get_current_user`).
    pub name: String,
    /// Where it is applied.
    pub span: Span,
}

/// The function that handles a route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Handler {
    /// The handler's span (the function body, or the reference when it is a named function
    /// defined elsewhere and could not be resolved).
    pub span: Span,
    /// Name, when the handler is a named function or method.
    pub name: Option<String>,
    /// Whether the handler is `async`.
    pub is_async: bool,
    /// Whether the handler body has error handling: a try/catch (try/except) spanning its
    /// awaited work, a `.catch(...)` on its promise chain, or (Go) an `err` check.
    pub has_error_handling: bool,
    /// Wrapper the handler is passed through (`asyncHandler`, `catchAsync`...), if any.
    pub wrapped_by: Option<String>,
    /// Whether the body could be seen (false when the handler is a reference not resolved).
    pub resolved: bool,
}

/// An HTTP route registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// The registration (`router.get(...)`, the decorator, `r.GET(...)`).
    pub span: Span,
    /// Framework.
    pub framework: Framework,
    /// Upper-case method (`GET`, `POST`...), `ANY` for all methods, `WS` for a websocket.
    pub method: String,
    /// Path as written at the registration (`/users/:id`).
    pub path: String,
    /// Path after mount prefixes are resolved (`/api/users/:id`); equals `path` when nothing
    /// is mounted. Filled by the linker.
    pub full_path: String,
    /// The router or app variable it is registered on (file-scoped name), for linking.
    pub router: Option<String>,
    /// Middlewares named at the route itself, in order.
    pub middlewares: Vec<Middleware>,
    /// Effective chain after the linker added app- and router-level ones, in order.
    pub chain: Vec<Middleware>,
    /// The handler.
    pub handler: Handler,
}

/// A router mounted under a prefix (`app.use('/api', router)`, `include_router(prefix=)`,
/// `r.Group("/api")`, `register_blueprint(url_prefix=)`, `r.Mount`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mount {
    /// The mount call.
    pub span: Span,
    /// The parent router/app variable (file-scoped), when known.
    pub parent: Option<String>,
    /// Prefix (`/api`); empty for a mount with no prefix.
    pub prefix: String,
    /// What is mounted: a file-scoped name, possibly imported.
    pub target: String,
    /// Middlewares given in the same call, in order.
    pub middlewares: Vec<Middleware>,
}

/// A router or app declaration (`express.Router()`, `APIRouter(prefix=...)`, `Blueprint(...)`,
/// `gin.Default()`, `r.Group("/v1")` assigned to a variable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouterDecl {
    /// The declaration.
    pub span: Span,
    /// Variable name (file-scoped).
    pub name: String,
    /// Whether it is a top-level application (`express()`, `FastAPI()`, `Flask(__name__)`,
    /// `gin.Default()`, `http.NewServeMux()`) rather than a sub-router.
    pub is_app: bool,
    /// Prefix given at the declaration (`APIRouter(prefix="/users")`, Go groups).
    pub prefix: String,
    /// Parent router it was derived from (Go `r.Group`), when any.
    pub parent: Option<String>,
    /// Framework.
    pub framework: Framework,
}

/// Middleware applied to a whole router or app (`app.use(helmet())`, `app.use('/api', limiter)`,
/// `app.add_middleware(...)`, `r.Use(...)`, `before_request`, FastAPI app/router dependencies).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MiddlewareUse {
    /// The call.
    pub span: Span,
    /// Router/app variable it is applied to (file-scoped).
    pub router: Option<String>,
    /// Path prefix it is limited to, if any.
    pub prefix: Option<String>,
    /// Middlewares in order.
    pub middlewares: Vec<Middleware>,
}

/// Module import of a file-scoped name (for linking routers across files).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    /// The import statement.
    pub span: Span,
    /// Local name bound.
    pub local: String,
    /// Module specifier as written (`./routes/users`, `app.routers.users`, `github.com/x/y`).
    pub module: String,
    /// Imported symbol (`default` for default imports and `require`, `*` for namespaces).
    pub symbol: String,
    /// Repository-relative path of the file the module resolves to, when it resolves inside
    /// the repository. Filled by the linker.
    pub resolved: Option<String>,
}

/// A name a file exports (`module.exports = router`, `export default router`,
/// `export const usersRouter`). Python and Go names are exported implicitly and not listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Export {
    /// The export.
    pub span: Span,
    /// Local name exported.
    pub local: String,
    /// Exported as (`default` for default exports).
    pub exported: String,
}

/// An outbound HTTP call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundCall {
    /// The call.
    pub span: Span,
    /// Client (`fetch`, `axios`, an axios instance name, `requests`, `httpx`, `http.Get`, `http.Client`).
    pub client: String,
    /// Upper-case method when known.
    pub method: Option<String>,
    /// URL as written (source text of the argument).
    pub url: String,
    /// URL when it is a literal or a template whose parts are known (`/api/users/${id}` ->
    /// `/api/users/{}`); `None` when it cannot be resolved statically.
    pub url_pattern: Option<String>,
    /// Whether a timeout (or abort signal) is given at the call or on the client it uses.
    pub has_timeout: bool,
    /// Query parameter names the call sends, when visible (`?x=1` in the URL, axios
    /// `params: { x }`, requests `params={"x": ..}`); empty when none are visible.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query_params: Vec<String>,
}

/// An HTTP client instance (`axios.create({ baseURL: '/api' })`, `ky.create({ prefixUrl })`,
/// `ofetch.create({ baseURL })`, `got.extend({ prefixUrl })`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpClient {
    /// The construction.
    pub span: Span,
    /// Variable it is assigned to (file-scoped).
    pub name: String,
    /// Library (`axios`, `ky`, `ofetch`, `got`).
    pub lib: String,
    /// Base URL when known statically (a literal, or the literal default of an env read:
    /// `import.meta.env.VITE_API_URL ?? '/api'` -> `/api`).
    pub base_url: Option<String>,
    /// Whether a base URL is given at all (known or not).
    pub has_base: bool,
    /// Whether a timeout is set on the instance.
    pub has_timeout: bool,
    /// Whether request or response interceptors are registered on it in the same file.
    pub has_interceptors: bool,
}

/// A dev-server or framework proxy rule of a frontend: Vite `server.proxy`, Next.js
/// `rewrites()`, CRA `"proxy"` in package.json. A client path starting with `source` is
/// forwarded to `target` with `source` replaced by `destination`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyRule {
    /// The rule (the proxy key, the rewrite object or the `"proxy"` value).
    pub span: Span,
    /// Path prefix the rule applies to (`/api`; empty for CRA, which forwards every path).
    pub source: String,
    /// What the prefix becomes (`""` when a rewrite strips it, `/api` when kept).
    pub destination: String,
    /// Target origin when known (`http://localhost:3000`); `None` when computed.
    pub target: Option<String>,
}

/// A call `x.get(url)` / `x.post(url)` on an imported name `x` that may be an HTTP client
/// instance created in another file. The linker turns it into an [`OutboundCall`] (base URL
/// joined) when `x` resolves to an exported [`HttpClient`]; otherwise it is dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientCallSite {
    /// The imported receiver name (file-scoped).
    pub receiver: String,
    /// The call, with the path as written (no base joined) and `has_timeout` from the call.
    pub call: OutboundCall,
    /// The member called on the receiver (`post` in `client.post('/x')`); `None` when the
    /// receiver itself is called (`get('/x')` on an imported wrapper function).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// URL patterns of the first arguments (`None` for one that is not a literal or
    /// template), read when the receiver resolves to an [`HttpWrapper`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Option<String>>,
}

/// A function or method that makes an HTTP call whose URL ends with one of its parameters
/// (`function get(path) { return fetch(BASE + path) }`, `api.get(url)` doing
/// `` axios.get(`${API_ROOT}${url}`) ``, a class method `post(path)` calling
/// `this.fetch(path, 'POST')` on an instance `client = new ApiClient()`). Its call sites
/// with a literal or template argument become outbound calls: in the same file at
/// extraction, in other files through the linker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpWrapper {
    /// The function or method.
    pub span: Span,
    /// The HTTP (or inner wrapper) call it makes.
    pub inner: Span,
    /// The name callers use, file-scoped: `get` (a function), `api.get` (a member of the
    /// object or class instance `api`).
    pub name: String,
    /// Index of the parameter that holds the path.
    pub path_param: usize,
    /// What comes before the path: `""`, `/api`, or `{}` (a base URL not known
    /// statically, possibly followed by a literal part); `None` when the URL is built in a
    /// way that cannot be followed (its call sites stay unresolved).
    pub prefix: Option<String>,
    /// The method when fixed (`GET` for `axios.get`).
    pub method: Option<String>,
    /// Index of the parameter that holds the method (`this.fetch(path, 'POST')`).
    pub method_param: Option<usize>,
}

/// A query parameter read in server code (`req.query.x`, `const { x } = req.query`,
/// `request.args.get("x")`, `c.Query("x")`, `r.URL.Query().Get("x")`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryRead {
    /// The read.
    pub span: Span,
    /// Parameter name; `None` when the whole query object is used (passed on, spread,
    /// indexed by a variable), so any parameter may be read.
    pub name: Option<String>,
}

/// An environment variable read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvRead {
    /// The read.
    pub span: Span,
    /// Variable name.
    pub name: String,
    /// Literal default when the code gives one (`process.env.X || 'a'`, `os.getenv("X", "a")`).
    pub default: Option<String>,
    /// Other env vars used as fallbacks, in order (`SESSION_SECRET || JWT_SECRET`).
    pub fallback_vars: Vec<String>,
    /// How it was read (`process.env`, `os.environ[]`, `os.getenv`, `os.Getenv`, `import.meta.env`...).
    pub accessor: String,
    /// Whether the read fails loudly when the variable is missing (`os.environ["X"]`).
    pub required: bool,
}

/// Kind of data/infrastructure client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientKind {
    /// node-postgres `Pool` / `Client`
    PgPool,
    /// mysql/mysql2 `createPool` / `createConnection`
    MysqlPool,
    /// Prisma client
    Prisma,
    /// Mongoose / MongoClient
    Mongo,
    /// knex / sequelize / typeorm DataSource
    JsOrm,
    /// SQLAlchemy `create_engine` / `create_async_engine`
    SqlAlchemy,
    /// psycopg / asyncpg pools and connections
    PyPg,
    /// Django ORM settings `DATABASES`
    DjangoDb,
    /// Go `pgxpool`
    PgxPool,
    /// Go `database/sql` `sql.Open`
    SqlDb,
    /// gorm
    Gorm,
    /// Redis client (ioredis, redis, redis-py, go-redis)
    Redis,
    /// Queue client (BullMQ, Bull, bee-queue, Celery, amqplib, kafkajs, nats)
    Queue,
}

impl ClientKind {
    /// Whether this is a SQL connection pool whose limits matter.
    pub fn is_sql_pool(self) -> bool {
        matches!(
            self,
            ClientKind::PgPool
                | ClientKind::MysqlPool
                | ClientKind::SqlAlchemy
                | ClientKind::PyPg
                | ClientKind::PgxPool
                | ClientKind::SqlDb
        )
    }
}

/// Construction of a DB pool, Redis client or queue client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataClient {
    /// The constructor call.
    pub span: Span,
    /// Kind.
    pub kind: ClientKind,
    /// Constructor as written (`new Pool`, `create_engine`, `pgxpool.New`).
    pub constructor: String,
    /// Variable it is assigned to, when any.
    pub var: Option<String>,
    /// Option names given: object keys, keyword arguments, Go setter calls on the variable
    /// (`SetMaxOpenConns`), connection-string parameters (`pool_max_conns`).
    pub options: Vec<String>,
    /// Whether options come from something not visible here (a spread, a config variable),
    /// so absence of an option proves nothing.
    pub options_opaque: bool,
}

/// A server start (`app.listen`, `http.ListenAndServe`, `uvicorn.run`, `serve_forever`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerStart {
    /// The call.
    pub span: Span,
    /// Call as written (`app.listen`, `http.ListenAndServe`, `srv.ListenAndServe`, `uvicorn.run`).
    pub api: String,
    /// Variable holding the server, when assigned (`const server = app.listen(...)`).
    pub var: Option<String>,
    /// Port as written, when given.
    pub port: Option<String>,
    /// Server options given where the server is built, by name (Go `http.Server` keyed
    /// fields and later field assignments: `ReadTimeout`, `ReadHeaderTimeout`,
    /// `WriteTimeout`, `IdleTimeout`; fiber `fiber.Config` fields; echo `e.Server.*`).
    /// Empty when none are given.
    pub options: Vec<String>,
    /// Whether the server's options come from something not visible here (a server held in
    /// a parameter or struct field), so absence of an option proves nothing.
    pub options_opaque: bool,
}

/// A signal or shutdown hook (`process.on('SIGTERM')`, `signal.Notify`, `signal.signal`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalHandler {
    /// The registration.
    pub span: Span,
    /// Signals or events handled (`SIGTERM`, `SIGINT`, `beforeExit`).
    pub signals: Vec<String>,
    /// Whether the handler (or the code after a Go `signal.Notify`) closes the HTTP server
    /// (`server.close`, `srv.Shutdown`, `app.close`).
    pub closes_server: bool,
    /// Methods called on clients in the handler (`pool.end`, `redis.quit`, `db.Close`), as written.
    pub cleanups: Vec<String>,
    /// Whether the handler exits the process.
    pub exits: bool,
}

/// Where a process exit sits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ExitContext {
    /// In an event handler on a client: `pool.on('error', ...)`, `redis.on('error')`.
    ClientEvent {
        /// Receiver variable (`pool`).
        receiver: String,
        /// Event name (`error`).
        event: String,
        /// Kind of the receiver when it is a known client.
        client: Option<ClientKind>,
    },
    /// In the error branch right after connecting or querying (`if err != nil { log.Fatal }`
    /// after `db.Ping()`, `.catch(() => process.exit(1))` on `connect()`), outside `main` setup.
    ClientError {
        /// The client call checked (`db.Ping`, `pool.connect`).
        call: String,
        /// Kind of the client when known.
        client: Option<ClientKind>,
        /// Whether this is startup code (main/boot function), where exiting is acceptable.
        at_startup: bool,
    },
    /// In an HTTP request handler.
    RequestHandler {
        /// Handler name, when known.
        handler: Option<String>,
    },
    /// In a global `unhandledRejection`/`uncaughtException` handler.
    GlobalErrorHandler {
        /// Event name.
        event: String,
    },
    /// In a signal handler.
    SignalHandler,
    /// Anywhere else.
    Other,
}

/// A process exit (`process.exit`, `os.Exit`, `log.Fatal*`, `sys.exit`, `panic` not included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessExit {
    /// The call.
    pub span: Span,
    /// Call as written (`process.exit(-1)`, `log.Fatalf`).
    pub api: String,
    /// Where it sits.
    pub context: ExitContext,
}

/// A log or print call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogCall {
    /// The call.
    pub span: Span,
    /// Call as written (`console.log`, `print`, `fmt.Println`, `logger.info`).
    pub api: String,
    /// Level when known (`debug`, `info`, `warn`, `error`).
    pub level: Option<String>,
    /// Whether this is a raw print to stdout/stderr (`console.*`, `print`, `fmt.Print*`) rather
    /// than a logger call.
    pub is_print: bool,
}

/// How the SQL text of a query was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SqlBuild {
    /// A plain literal (possibly with placeholders).
    Literal,
    /// Template literal / f-string with interpolated values.
    Interpolated,
    /// `+` concatenation.
    Concatenated,
    /// `%` / `.format` / `fmt.Sprintf`.
    Formatted,
    /// A variable or call whose construction is not visible.
    Unknown,
}

/// An SQL execution (`pool.query`, `cursor.execute`, `db.Exec`, `$queryRawUnsafe`, `text()`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SqlExec {
    /// The execution call.
    pub span: Span,
    /// Call as written (`pool.query`, `cursor.execute`, `db.Query`).
    pub api: String,
    /// How the SQL string was built (following one local variable assignment in the same
    /// function when the argument is an identifier).
    pub build: SqlBuild,
    /// Where the SQL string was built, when not at the call.
    pub built_at: Option<Span>,
    /// Names interpolated or concatenated into the text that are not constants.
    pub dynamic_parts: Vec<String>,
    /// Whether every dynamic part is a constant or comes from a constant allowlist
    /// (a literal map/array lookup, a value checked against a literal set).
    pub parts_constant: bool,
    /// Whether values are passed as bind parameters alongside the text.
    pub has_params: bool,
    /// Whether the text looks like SQL (starts with a SQL keyword) when it is visible.
    pub looks_like_sql: bool,
}

/// A dependency from a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependency {
    /// The manifest entry.
    pub span: Span,
    /// Ecosystem (`npm`, `pypi`, `go`).
    pub ecosystem: String,
    /// Package name.
    pub name: String,
    /// Version requirement as written.
    pub version: Option<String>,
    /// Whether it is a development-only dependency.
    pub dev: bool,
}

/// CORS origin policy seen in code or config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CorsOrigin {
    /// `*` or an allow-all flag.
    Any,
    /// Reflects the request origin (`origin: true`).
    Reflect,
    /// `cors()` with no options at all (allows any origin).
    Unconfigured,
    /// A literal list.
    List {
        /// Origins.
        origins: Vec<String>,
    },
    /// From an env var, with its default.
    Env {
        /// Variable name.
        name: String,
        /// Default when unset.
        default: Option<String>,
    },
    /// A function or anything not literal.
    Dynamic,
}

/// A CORS configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cors {
    /// The configuration call or key.
    pub span: Span,
    /// Library as written (`cors`, `CORSMiddleware`, `flask_cors`, `rs/cors`, `gin-contrib/cors`).
    pub api: String,
    /// Origin policy.
    pub origin: CorsOrigin,
    /// Whether credentials are allowed, when said.
    pub credentials: Option<bool>,
}

/// A literal that looks like a credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretLiteral {
    /// The literal.
    pub span: Span,
    /// What it looks like (`aws-access-key`, `github-token`, `stripe-key`, `slack-token`,
    /// `private-key`, `assignment`).
    pub kind: String,
    /// Name it is assigned to, for `assignment` (`DB_PASSWORD`, `jwtSecret`).
    pub name: Option<String>,
    /// The value with all but the first 4 characters masked.
    pub masked: String,
}

/// One Dockerfile instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DockerInstruction {
    /// The instruction (all its continuation lines).
    pub span: Span,
    /// Upper-case keyword (`FROM`, `USER`, `COPY`...).
    pub keyword: String,
    /// Arguments as written, continuation lines joined.
    pub args: String,
}

/// One build stage of a Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DockerStage {
    /// The `FROM` instruction.
    pub span: Span,
    /// Base image as written (`node:20-alpine`).
    pub image: String,
    /// Stage name (`AS build`), when any.
    pub alias: Option<String>,
    /// Instructions of the stage, `FROM` included.
    pub instructions: Vec<DockerInstruction>,
}

/// A Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dockerfile {
    /// The whole file.
    pub span: Span,
    /// Stages in order; the last one is the image that runs.
    pub stages: Vec<DockerStage>,
}

impl Dockerfile {
    /// The final stage.
    pub fn final_stage(&self) -> Option<&DockerStage> {
        self.stages.last()
    }
}

/// A Kubernetes probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probe {
    /// The probe key (`livenessProbe:`).
    pub span: Span,
    /// `http`, `tcp`, `exec`, `grpc`.
    pub kind: String,
    /// HTTP path, for `http`.
    pub path: Option<String>,
    /// Port as written (number or name).
    pub port: Option<String>,
}

/// An environment variable declared in deploy config (k8s `env`, compose `environment`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvDecl {
    /// The entry.
    pub span: Span,
    /// Variable name.
    pub name: String,
    /// Literal value, when given inline.
    pub value: Option<String>,
    /// Where the value comes from otherwise (`secretKeyRef`, `configMapKeyRef`, `fieldRef`).
    pub value_from: Option<String>,
}

/// A container of a Kubernetes workload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct K8sContainer {
    /// The container entry (`- name: api`).
    pub span: Span,
    /// Container name.
    pub name: String,
    /// Image.
    pub image: Option<String>,
    /// Whether it is an init container.
    pub init: bool,
    /// Liveness probe.
    pub liveness: Option<Probe>,
    /// Readiness probe.
    pub readiness: Option<Probe>,
    /// Startup probe.
    pub startup: Option<Probe>,
    /// Resource keys given (`requests.cpu`, `requests.memory`, `limits.cpu`, `limits.memory`).
    pub resources: Vec<String>,
    /// Container ports as written.
    pub ports: Vec<String>,
    /// Environment entries.
    pub env: Vec<EnvDecl>,
}

/// A Kubernetes workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct K8sWorkload {
    /// The `kind:` key of the document.
    pub span: Span,
    /// Kind.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// Containers, init containers included.
    pub containers: Vec<K8sContainer>,
}

/// A scheduled job or timer loop (node-cron, `setInterval`, Celery beat, APScheduler, Go tickers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledJob {
    /// The registration.
    pub span: Span,
    /// API (`cron.schedule`, `setInterval`, `time.NewTicker`).
    pub api: String,
    /// The job body, when visible.
    pub body: Option<Span>,
    /// What it runs, when named rather than inline: a Celery beat entry's `task`
    /// (`app.tasks.enrich`), a function passed by name (`add_job(refresh, ...)`).
    pub target: Option<String>,
}

/// A WebSocket server (`new WebSocketServer(...)`, `new WebSocket.Server(...)`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebSocketServer {
    /// The constructor call.
    pub span: Span,
    /// Constructor as written (`new WebSocketServer`).
    pub api: String,
    /// Variable it is assigned to, when any.
    pub var: Option<String>,
    /// Option names given (`maxPayload`, `server`, `path`, `clientTracking`).
    pub options: Vec<String>,
    /// Whether options come from something not visible here (a spread, a variable).
    pub options_opaque: bool,
    /// Whether the file checks liveness: `.ping(` calls or `'pong'` handlers on its sockets.
    pub has_heartbeat: bool,
    /// Whether the file caps connections (`wss.clients.size` compared, `maxPayload` set,
    /// a `verifyClient`/`handleProtocols` option).
    pub has_connection_cap: bool,
}

/// A WebSocket client opened by code (`new WebSocket(url)`, browser or Node).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebSocketClient {
    /// The constructor call.
    pub span: Span,
    /// Constructor as written (`new WebSocket`, `new ReconnectingWebSocket`).
    pub api: String,
    /// Variable it is assigned to, when any.
    pub var: Option<String>,
    /// The close handler (`ws.onclose = ...`, `ws.addEventListener('close', ...)`,
    /// `ws.on('close', ...)`), when one is set.
    pub close_handler: Option<Span>,
    /// Whether the connection is re-opened after a close: the close handler (or a function
    /// it calls by name) schedules or calls the function that opens it, or the constructor
    /// is a reconnecting wrapper.
    pub reconnects: bool,
}

/// A call to a paid third-party API (LLM, maps, messaging, email, cloud SDK).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaidApiCall {
    /// The call.
    pub span: Span,
    /// Provider (`openai`, `anthropic`, `google-maps`, `twilio`, `sendgrid`, `aws`).
    pub provider: String,
    /// Call as written (`client.chat.completions.create`).
    pub api: String,
    /// Whether it is an LLM completion call (tokens are billed).
    pub is_llm: bool,
    /// Option names given (keyword arguments, object keys: `max_tokens`, `timeout`).
    pub options: Vec<String>,
    /// Whether options come from something not visible here (`**kwargs`, a spread).
    pub options_opaque: bool,
    /// Whether the call sits inside a loop (`for`, `while`, `forEach`/`map` callbacks) in
    /// its function.
    pub in_loop: bool,
    /// Name of the enclosing function, when any.
    pub function: Option<String>,
    /// Span of the enclosing function, when any.
    pub function_span: Option<Span>,
}

/// A port a compose service publishes (`ports:`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComposePort {
    /// The entry.
    pub span: Span,
    /// Host interface (`127.0.0.1` in `127.0.0.1:5432:5432`), when given.
    pub host_ip: Option<String>,
    /// Host port (or range), when published; `None` for a container-only port (`"5432"`).
    pub published: Option<String>,
    /// Container port (protocol suffix removed).
    pub target: String,
}

/// A `depends_on` entry of a compose service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComposeDependsOn {
    /// The entry.
    pub span: Span,
    /// Service depended on.
    pub service: String,
    /// `condition:` (`service_started`, `service_healthy`...), when given in the long form.
    pub condition: Option<String>,
}

/// A service of a compose file (v2, v3 or the Compose Specification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComposeService {
    /// The service key.
    pub span: Span,
    /// Service name.
    pub name: String,
    /// `image:`, with `${VAR:-default}` / `${VAR-default}` replaced by their defaults.
    pub image: Option<String>,
    /// Build context (`build: ./api` or `build.context`), repository-relative to the compose
    /// file's folder as written.
    pub build: Option<String>,
    /// Published ports.
    pub ports: Vec<ComposePort>,
    /// `environment:` entries (map or list form); values are as written.
    pub environment: Vec<EnvDecl>,
    /// The `healthcheck:` key, unless absent or `disable: true`.
    pub healthcheck: Option<Span>,
    /// `depends_on` entries.
    pub depends_on: Vec<ComposeDependsOn>,
    /// `restart:` (or `deploy.restart_policy.condition`, or `restart_policy` when given).
    pub restart: Option<String>,
    /// The `logging:` key, when present.
    pub logging: Option<Span>,
    /// `logging.driver`, when given.
    pub logging_driver: Option<String>,
    /// Keys of `logging.options` (`max-size`, `max-file`...).
    pub logging_options: Vec<String>,
    /// Volume entries as written (short form, or `source:target` of the long form).
    pub volumes: Vec<String>,
    /// `command:` as one string, when given.
    pub command: Option<String>,
    /// `extends:` (another service or file the service inherits from), when given.
    pub extends: Option<String>,
}

/// One step of a CI job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CiStep {
    /// The step (a `- name:`/`- run:`/`- uses:` item, or a GitLab `script` line).
    pub span: Span,
    /// `name:`, when given.
    pub name: Option<String>,
    /// `uses:` action reference (`actions/checkout@v4`), when given.
    pub uses: Option<String>,
    /// The `uses:` entry, when given.
    pub uses_span: Option<Span>,
    /// Shell text run, when given.
    pub run: Option<String>,
    /// Working directory (`working-directory:`), when given.
    pub working_directory: Option<String>,
    /// What the step does, recognised from what it runs (npm scripts resolved through the
    /// `package.json` `scripts` of the working directory): `install`, `lint`, `typecheck`,
    /// `test`, `coverage`, `audit`, `build`, `deploy`, `smoke`, `rollback`, `migrate`.
    pub kinds: Vec<String>,
}

/// A job of a CI pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CiJob {
    /// The job key.
    pub span: Span,
    /// Job id.
    pub name: String,
    /// Jobs it waits for (`needs:`; GitLab: earlier stages are listed too).
    pub needs: Vec<String>,
    /// Deployment environment (`environment:` name), when given.
    pub environment: Option<String>,
    /// Whether the job waits for a person (GitLab `when: manual`).
    pub manual: bool,
    /// Reusable workflow or template the job calls (`uses:` at job level), when any.
    pub uses: Option<String>,
    /// Steps in order.
    pub steps: Vec<CiStep>,
}

/// A CI pipeline file (GitHub Actions workflow, `.gitlab-ci.yml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CiPipeline {
    /// The file start (the `name:`/`on:`/first key).
    pub span: Span,
    /// `github-actions` or `gitlab-ci`.
    pub provider: String,
    /// `name:`, when given.
    pub name: Option<String>,
    /// Trigger events (`push`, `pull_request`, `workflow_dispatch`, `schedule`...).
    pub triggers: Vec<String>,
    /// Jobs in order.
    pub jobs: Vec<CiJob>,
}

/// A `scripts` entry of a `package.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageScript {
    /// The entry.
    pub span: Span,
    /// Script name (`test`, `lint`).
    pub name: String,
    /// Command.
    pub command: String,
}

/// A dependency-update bot configuration (Dependabot, Renovate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DependencyUpdateConfig {
    /// The file (its first key).
    pub span: Span,
    /// `dependabot` or `renovate`.
    pub tool: String,
}

/// A `compilerOptions` entry of a tsconfig, own or inherited through `extends`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TsOption {
    /// The entry (in the file that sets it).
    pub span: Span,
    /// Option name.
    pub name: String,
    /// Value as written (`true`, `false`, `"ES2021"`).
    pub value: String,
    /// Repository path of the base config it comes from, when inherited.
    pub inherited_from: Option<String>,
}

/// A `tsconfig*.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TsConfig {
    /// The file (its first key).
    pub span: Span,
    /// `extends` as written.
    pub extends: Vec<String>,
    /// Whether every `extends` inside the repository was found and followed (a package
    /// such as `@tsconfig/strictest` is not in the repository).
    pub extends_resolved: bool,
    /// Effective `compilerOptions` (own, then inherited ones not overridden).
    pub options: Vec<TsOption>,
}

/// One metric of a coverage report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageMetric {
    /// `lines`, `statements`, `branches`, `functions`.
    pub name: String,
    /// Covered items.
    pub covered: u64,
    /// All items.
    pub total: u64,
}

impl CoverageMetric {
    /// Covered share in percent (100 when there is nothing to cover).
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            self.covered as f64 * 100.0 / self.total as f64
        }
    }
}

/// A coverage report read from disk (found at a usual path or passed with `--coverage`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageReport {
    /// The report file (start).
    pub span: Span,
    /// `lcov`, `cobertura`, `istanbul-summary`, `istanbul-final`, `go-coverprofile`,
    /// `coverage-py-json`.
    pub format: String,
    /// Totals over the report.
    pub metrics: Vec<CoverageMetric>,
    /// Source files the report covers.
    pub files: u32,
}

/// A coverage threshold configured in the repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageThreshold {
    /// Where it is set.
    pub span: Span,
    /// `jest`, `vitest`, `pytest-cov`, `coverage.py`, `nyc`, `c8`.
    pub tool: String,
    /// Metric (`lines`, `statements`, `branches`, `functions`), or `total` for one figure.
    pub metric: String,
    /// Required percent.
    pub percent: u32,
}

/// A skipped or disabled test (`it.skip`, `xit`, `xdescribe`, `t.Skip`, `pytest.mark.skip`,
/// `@unittest.skip`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestSkip {
    /// The skip marker.
    pub span: Span,
    /// The marker as recognised (`it.skip`, `xit`, `t.Skip`...).
    pub kind: String,
}

/// A table (or model) definition by a schema source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaDef {
    /// The definition (`model X {`, `__tablename__ = ...`, `CREATE TABLE`).
    pub span: Span,
    /// `prisma`, `sqlalchemy`, `django`, `typeorm`, `sequelize`, `sql-migration`.
    pub source: String,
    /// Table name, lower-cased (explicit name, else the model name).
    pub table: String,
}

/// A call that creates or syncs the schema from models at run time, in place of migrations
/// (`Base.metadata.create_all`, `sequelize.sync()`, `prisma db push`, TypeORM `synchronize: true`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaSync {
    /// The call or setting.
    pub span: Span,
    /// What it is (`create_all`, `sync`, `sync({force})`, `prisma db push`, `synchronize`).
    pub api: String,
    /// Whether it drops data (`force: true`, `--accept-data-loss`, `--force-reset`).
    pub destructive: bool,
}

/// A migrations folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationDir {
    /// Repository-relative folder.
    pub path: String,
    /// Tool it looks like (`prisma`, `alembic`, `django`, `sql`, `knex`, `sequelize`,
    /// `typeorm`, `golang-migrate`, `goose`...), or `unknown`.
    pub tool: String,
    /// Migration files in it.
    pub files: u32,
    /// Whether a `.gitignore` pattern ignores the folder or its files.
    pub ignored: bool,
}

/// A build context of a container image: the folder of a Dockerfile or a compose `build`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DockerContext {
    /// Repository-relative folder (`""` for the root).
    pub dir: String,
    /// Patterns of its `.dockerignore`, when there is one.
    pub dockerignore: Option<Vec<String>>,
    /// `.env` files (not examples/templates) present in the folder tree, on disk.
    pub env_files: Vec<String>,
}

/// A Kubernetes `Secret` manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct K8sSecret {
    /// The `stringData:` or `data:` key (the first present).
    pub span: Span,
    /// `metadata.name`.
    pub name: String,
    /// Entries: name, value as written (`data` values base64-decoded when they decode to
    /// text), `value_from` = `data` or `stringData`.
    pub entries: Vec<EnvDecl>,
}

/// Evidence of a database backup procedure (a script, a job, a document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupEvidence {
    /// Where it is.
    pub span: Span,
    /// What was recognised (`pg_dump`, `velero`, `backup script`...).
    pub what: String,
}

/// A database transaction opened by hand in one function (`client.query('BEGIN')`,
/// `db.Begin()`/`BeginTx`, `cursor.execute("BEGIN")`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    /// The call that opens it.
    pub span: Span,
    /// Call as written (`client.query`, `db.BeginTx`).
    pub api: String,
    /// The first commit in the same function, when any.
    pub commit: Option<Span>,
    /// The first rollback in the same function, when any.
    pub rollback: Option<Span>,
    /// Whether a rollback runs on the error path: in a `catch`/`except`/`finally` block, in an
    /// `if err != nil` branch, deferred (`defer tx.Rollback()`), or the transaction is handed
    /// to a helper that is known to roll back (`client.transaction(...)` is not recorded).
    pub rollback_on_error: bool,
    /// Whether the function can leave between the begin and the commit without committing:
    /// a call that can throw between them (JS, Python), or a `return` between them (Go).
    pub exits_before_commit: bool,
    /// The enclosing function, when any.
    pub function_span: Option<Span>,
}

/// A page size read from the request (`req.query.limit`, a FastAPI `limit: int` parameter,
/// `request.args.get("limit")`, `r.URL.Query().Get("limit")`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLimit {
    /// Where it is read.
    pub span: Span,
    /// Parameter name (`limit`, `page_size`, `per_page`, `take`).
    pub name: String,
    /// Variable holding it in the handler, when assigned.
    pub var: Option<String>,
    /// Whether an upper bound is applied before use: `Math.min`/`min()`, a comparison with
    /// the variable, `le=`/`lt=` in `Query(...)`, a validation schema `.max(...)`.
    pub bounded: bool,
    /// The query call (SQL execution or ORM `limit`/`take` call) the value reaches in the
    /// same function, when seen.
    pub query: Option<Span>,
}

/// A job added to a queue (BullMQ/Bull `queue.add`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobEnqueue {
    /// The call.
    pub span: Span,
    /// Call as written (`emailQueue.add`).
    pub api: String,
    /// Queue variable (`emailQueue`).
    pub queue_var: String,
    /// Job option names given (`attempts`, `backoff`, `removeOnFail`).
    pub options: Vec<String>,
    /// Whether options come from something not visible here (a variable, a spread).
    pub options_opaque: bool,
}

/// Service state written to the local disk: uploads stored by the web process
/// (`multer({ dest })`, `multer.diskStorage`, gin `c.SaveUploadedFile`, Flask `file.save`),
/// files written from a request handler (`fs.writeFile`, `open(path, "wb")`, `os.Create`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalStateWrite {
    /// The call.
    pub span: Span,
    /// Call as written (`multer.diskStorage`, `fs.writeFile`, `open`, `c.SaveUploadedFile`).
    pub api: String,
    /// The destination as written, when visible.
    pub target: Option<String>,
    /// Whether it is an upload store (rather than a plain file write).
    pub upload: bool,
}

/// A call that records an audit event: its callee names an audit trail (`auditLog.create`,
/// `audit(...)`, `AuditLog.objects.create`, `recordAudit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditCall {
    /// The call.
    pub span: Span,
    /// Call as written.
    pub api: String,
}

/// Debug output left in code: `debugger;`, `breakpoint()`/`pdb.set_trace()`, prints whose
/// text starts with `DEBUG`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebugOutput {
    /// The statement or call.
    pub span: Span,
    /// `debugger`, `breakpoint`, `debug-print`.
    pub kind: String,
    /// Call as written (`console.log`, `print`, `fmt.Println`), or the statement keyword.
    pub api: String,
    /// Whether it sits under a condition that reads a debug flag, a log level or the
    /// environment (`if (process.env.DEBUG)`, `if settings.DEBUG:`, `if debug {`).
    pub gated: bool,
}

/// A log or print call that outputs a whole configuration or environment object, or a
/// value whose name says it is a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigLog {
    /// The call.
    pub span: Span,
    /// Call as written (`console.log`, `logger.info`, `print`, `log.Printf`).
    pub api: String,
    /// The argument as written (`process.env`, `config`, `settings.__dict__`, `jwtSecret`).
    pub what: String,
    /// `env` (the whole environment), `config` (a configuration object), `name` (a plain
    /// identifier or member, for the rule to judge by its name).
    pub kind: String,
}

/// A database query run inside a loop over the rows of another query (an N+1 pattern).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryInLoop {
    /// The query call inside the loop.
    pub span: Span,
    /// Call as written (`pool.query`, `prisma.order.findMany`, `db.QueryRow`).
    pub api: String,
    /// The loop (`for ... of rows`, `rows.map(async ...)`, `for rows.Next()`).
    pub loop_span: Span,
    /// The query whose results the loop iterates.
    pub source: Span,
}

/// A rate limiter (express-rate-limit, rate-limiter-flexible, slowapi, flask-limiter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimiter {
    /// The construction.
    pub span: Span,
    /// Constructor as written (`new RateLimiterRedis`, `rateLimit`, `Limiter`).
    pub api: String,
    /// Where it falls back to an in-memory store when the shared store fails, when it does
    /// (`insuranceLimiter: new RateLimiterMemory(...)`, `store: redis ? new RedisStore() :
    /// undefined`, `in_memory_fallback_enabled=True`).
    pub memory_fallback: Option<Span>,
}

/// A handler of failed jobs (`worker.on('failed')`, `queueEvents.on('failed')`,
/// `@task_failure.connect`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobFailureHandler {
    /// The registration.
    pub span: Span,
    /// Registration as written (`worker.on`).
    pub api: String,
}

/// A payload field a queue consumer reads (`job.data.orderId`, a destructured field, a task
/// parameter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueField {
    /// Where it is read (or declared).
    pub span: Span,
    /// Field name (top level of the payload).
    pub name: String,
}

/// A message sent to a queue, topic, stream or subject: BullMQ/Bull `queue.add`, bee-queue
/// `createJob`, Celery `task.delay`/`apply_async`/`send_task`, Redis `lpush`/`rpush`/`xadd`,
/// Kafka `producer.send`/`produce`, NATS `publish`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueProducer {
    /// The call.
    pub span: Span,
    /// System: `bullmq`, `bull`, `bee-queue`, `celery`, `redis-list`, `redis-stream`,
    /// `kafka`, `nats`.
    pub system: String,
    /// Call as written (`emailQueue.add`, `send_email.delay`).
    pub api: String,
    /// Queue, task, key, topic or subject name when it resolves statically (a literal or a
    /// constant in the same or an imported file; a Celery task by function name).
    pub queue: Option<String>,
    /// Literal start of a name built per key (`emails-${tenant}` -> `emails-`), when the
    /// name is a template with substitutions.
    pub queue_prefix: Option<String>,
    /// Where the queue was declared, when not at the call (`new Queue('emails')`).
    pub declared_at: Option<Span>,
    /// An imported name the queue name is held in (`QUEUE` of `import { QUEUE } from
    /// './names'`) when it does not resolve in the file; the linker sets `queue` from the
    /// string constant the import names, or leaves it unresolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_ref: Option<String>,
    /// Top-level payload field names sent (object keys; Celery keyword arguments).
    pub payload_keys: Vec<String>,
    /// Whether the payload is not a visible literal (a variable, a spread, positional Celery
    /// arguments), so its keys prove nothing.
    pub payload_opaque: bool,
}

/// A consumer of a queue, topic, stream or subject: BullMQ `new Worker('q', fn)`, Bull and
/// bee-queue `queue.process`, NestJS `@Processor('q')`, a Celery task
/// (`@celery.task`/`@shared_task`), Redis `brpop`/`blpop`/`xreadgroup`, Kafka
/// `consumer.subscribe`, NATS `subscribe`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueConsumer {
    /// The registration (the call, the decorated function).
    pub span: Span,
    /// System, as in [`QueueProducer::system`].
    pub system: String,
    /// Call or decorator as written.
    pub api: String,
    /// Names consumed (a Celery task lists its explicit `name=` and its function name).
    /// NATS wildcards (`orders.*`, `orders.>`) are kept as written.
    pub queues: Vec<String>,
    /// Whether some name consumed could not be resolved (a variable, a regex), so it may
    /// be any queue.
    pub queues_opaque: bool,
    /// Imported names the unresolved queue names are held in, when every unresolved name is
    /// one; the linker adds their string constants to `queues` and clears `queues_opaque`
    /// when all of them resolve.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queue_refs: Vec<String>,
    /// Payload fields the consumer reads (`job.data.x`, `const { x } = job.data`; Celery
    /// task parameters).
    pub fields: Vec<QueueField>,
    /// Whether the consumer uses the payload as a whole (passes `job.data` on, spreads it;
    /// a Celery task with `**kwargs`), so other fields may be read elsewhere.
    pub fields_opaque: bool,
}

/// Guards declared on a handler function itself rather than at its route registration:
/// FastAPI parameter dependencies (`user: CurrentUser`, `Depends(get_current_user)`,
/// `Security(...)`), header parameters (`x_admin_token: str = Header()`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandlerGuard {
    /// The handler function (same span as the route's `handler.span`).
    pub span: Span,
    /// Names found: dependency targets (`get_current_user`), annotated type aliases
    /// (`CurrentUser`), `header:<param>` for header parameters.
    pub names: Vec<String>,
}

/// A JWT sign, verify or decode call (`jwt.sign`, `jwt.verify`, `jwt.decode`, PyJWT
/// `jwt.encode`/`jwt.decode`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwtCall {
    /// The call.
    pub span: Span,
    /// Call as written (`jwt.sign`).
    pub api: String,
    /// `sign`, `verify` or `decode` (decode without verification, JS `jwt.decode`).
    pub op: String,
    /// Option names given (object keys, keyword arguments; PyJWT payload keys such as `exp`
    /// are listed as `payload.exp`).
    pub options: Vec<String>,
    /// Whether options come from something not visible here (a variable, a spread).
    pub options_opaque: bool,
    /// Enclosing function, when any.
    pub function: Option<Span>,
    /// Whether the payload takes values from the request (`req.body`, destructured body
    /// fields), for `sign`.
    pub payload_from_request: bool,
    /// Whether the enclosing function checks a credential (password compare/verify, an
    /// OTP/code check, a user lookup by credentials) before signing.
    pub function_checks_credential: bool,
}

/// A request body reader or parser and the size cap it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyRead {
    /// The parser construction or read call.
    pub span: Span,
    /// Call as written (`express.json`, `bodyParser.json`, `multer`, `json.NewDecoder`,
    /// `io.ReadAll`).
    pub api: String,
    /// The cap as written (`'50mb'`, `10 * 1024 * 1024`), when given.
    pub limit: Option<String>,
    /// The cap in bytes, when it could be computed.
    pub limit_bytes: Option<u64>,
    /// Whether nothing caps the size: a parser with no default cap and no limit given
    /// (multer without `limits.fileSize`), or a Go handler reading `r.Body` with no
    /// `http.MaxBytesReader`/`io.LimitReader` in the same function.
    pub unbounded: bool,
}

/// Error details sent to clients, or a framework debug mode that does so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorExposure {
    /// The response call or setting.
    pub span: Span,
    /// Call or setting as written (`c.JSON`, `http.Error`, `res.json`, `HTTPException`,
    /// `FastAPI(debug=True)`).
    pub api: String,
    /// What is exposed: `err.Error()`, `err.stack`, `err.message`, `str(exc)`, `debug`.
    pub what: String,
}

/// A WebSocket connection handler (`wss.on('connection')`, socket.io `io.on('connection')`
/// and namespaces, gorilla/websocket `upgrader.Upgrade`) and the authentication seen for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebSocketHandler {
    /// The handler registration (or the `Upgrade` call).
    pub span: Span,
    /// Registration as written (`wss.on`, `io.on`, `io.of('/admin').on`, `upgrader.Upgrade`).
    pub api: String,
    /// Namespace or path, when known (`/admin`, `/ws/stock`).
    pub path: Option<String>,
    /// Evidence of authentication, when found: a `verifyClient` option, an `io.use(...)`
    /// middleware, an `upgrade` handler that checks credentials, or a token, cookie, session
    /// or authorization read in the handler (`token`, `cookie`, `verifyClient`, `io.use(auth)`).
    pub auth: Option<String>,
    /// Whether authentication may happen where it cannot be seen (a handler passed by name
    /// from another file, a middleware given as a variable).
    pub opaque: bool,
}

/// A session or cookie configuration (`session({cookie})`, `cookieSession`, `res.cookie`,
/// Flask `SESSION_COOKIE_*`, `set_cookie`, Starlette `SessionMiddleware`, Go `http.Cookie`,
/// gin `c.SetCookie`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CookieSetting {
    /// The call, literal or setting.
    pub span: Span,
    /// Call or setting as written (`session`, `res.cookie`, `set_cookie`, `http.Cookie`,
    /// `SESSION_COOKIE_SECURE`).
    pub api: String,
    /// `session` for a session middleware or framework session setting, `cookie` for a
    /// cookie set by hand.
    pub kind: String,
    /// Cookie name, when a literal.
    pub name: Option<String>,
    /// Attributes given, lower-cased (`secure`, `httponly`, `samesite`), each with its value
    /// as written (`true`, `false`, `'lax'`, `process.env.NODE_ENV === 'production'`).
    pub options: Vec<(String, String)>,
    /// Whether attributes come from something not visible here (a spread, a variable).
    pub options_opaque: bool,
}

/// TLS termination or HTTPS enforcement declared in deployment config: an Ingress with
/// `tls`, an nginx `ssl` listener, a traefik TLS router, a cloud load-balancer certificate
/// annotation, `force_https`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsTermination {
    /// The line that declares it.
    pub span: Span,
    /// `ingress-tls`, `nginx`, `traefik`, `lb-annotation`, `platform`, `terraform`.
    pub kind: String,
    /// The setting as written (trimmed line).
    pub what: String,
}

/// Kind of dangerous sink request input (or model output) reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlowSink {
    /// A file path (`fs.readFile`, `res.sendFile`, `open`, `send_file`, `os.Open`, `http.ServeFile`).
    FilePath,
    /// A shell command (`exec`, `spawn` with `shell: true`, `os.system`, `subprocess` with
    /// `shell=True`, `exec.Command("sh", "-c", ...)`).
    Command,
    /// Code evaluated at run time (`eval`, `new Function`, `vm.runIn*`, Python `exec`).
    Code,
    /// The URL of an outbound HTTP call, with the input controlling its start (scheme and host).
    OutboundUrl,
}

/// Where the value reaching a sink comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlowOrigin {
    /// Request input: body, query, path parameters, headers, cookies, form fields, uploaded
    /// file names, decoded request bodies, FastAPI handler parameters.
    Request,
    /// The text of an LLM completion response (`choices[0].message.content`).
    ModelOutput,
}

/// Request input (or LLM output) reaching a dangerous sink within one function, through
/// local variables, string building and at most one same-file helper function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFlow {
    /// The sink call.
    pub span: Span,
    /// Kind of sink.
    pub sink: FlowSink,
    /// Sink as written (`res.sendFile`, `exec`, `subprocess.run`, `http.Get`).
    pub api: String,
    /// Where the value comes from.
    pub origin: FlowOrigin,
    /// The input as written (`req.query.file`, `request.args`, `c.Param("name")`, a FastAPI
    /// parameter name, `completion.choices[0].message.content`).
    pub source: String,
    /// Where the input is read.
    pub source_span: Span,
    /// Local variables (and helper parameters) the value passes through, in order.
    pub via: Vec<String>,
    /// Same-file helper function the flow passes through (its sink or its return value), if any.
    pub helper: Option<String>,
    /// Whether a guard is visible in the function (or helper): a containment or allowlist
    /// check on a variable of the flow (`startsWith`, `commonpath`, `strings.HasPrefix`,
    /// `filepath.Rel`, an allowlist lookup, a regex test), a sanitiser on the path
    /// (`basename`, `secure_filename`), Express `sendFile` with a `root` option.
    pub guarded: bool,
}

/// An environment variable declared outside code: an entry of an env template
/// (`.env.example`, `.env.sample`, `.env.template`) or of a `.env` file, a mention in
/// documentation (README and other Markdown), a ConfigMap key, a CI `env:` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvDoc {
    /// The entry or mention.
    pub span: Span,
    /// Variable name.
    pub name: String,
    /// `env-template`, `env-template-comment` (a commented-out `#NAME=` template entry),
    /// `env-file`, `docs`, `configmap`, `ci` or `deploy-json` (a JSON app definition's `env`:
    /// Marathon, Heroku `app.json`, ECS task definitions).
    pub source: String,
}

/// Evidence that code handles an env var before it is used: a key of an env schema
/// (zod/envalid/joi/`@t3-oss/env`, class-validator config class), a Go struct tag
/// (envconfig, caarlos0/env), or an explicit check of the value (`if (!process.env.X) throw`,
/// `if not X:`, `if x == ""`, a must/require helper).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvCheck {
    /// The schema key, tag or check.
    pub span: Span,
    /// Variable name.
    pub name: String,
    /// `schema`, `struct-tag`, `check`, or `default` (a fallback that is not a literal:
    /// `process.env.X || other()`, `os.getenv("X", f"...")`).
    pub how: String,
}

/// An HTTP health check declared in deploy config: a Kubernetes `httpGet` probe, a compose
/// `healthcheck` or a Dockerfile `HEALTHCHECK` whose command requests a local URL (`curl`,
/// `wget`). K8s and compose checks come from the YAML extractor; Dockerfile ones are derived
/// from the Dockerfile facts by the deploy linker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthCheck {
    /// The path as written (the `path:` value, or the URL inside the command).
    pub span: Span,
    /// `k8s-liveness`, `k8s-readiness`, `k8s-startup`, `compose` or `dockerfile`.
    pub source: String,
    /// Requested path, query removed (`/healthz`).
    pub path: String,
    /// Port as written (a number, or a port name for k8s), when given.
    pub port: Option<String>,
    /// Where the port is written, when given.
    pub port_span: Option<Span>,
    /// The deploy config it belongs to: the k8s container entry ([`K8sContainer::span`]), the
    /// compose service key ([`ComposeService::span`]) or the Dockerfile ([`Dockerfile::span`]);
    /// `Project::deployment_at(owner)` gives its component.
    pub owner: Span,
}

/// A port a deploy config expects the application to listen on: k8s `containerPort`, probe
/// port, Service `targetPort` (derived by the deploy linker once the Service selector is
/// matched to a workload), compose port target, Dockerfile `EXPOSE` (derived).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployPort {
    /// Where the port is written.
    pub span: Span,
    /// `k8s-container-port`, `k8s-probe`, `k8s-service-target`, `compose-target` or
    /// `dockerfile-expose`.
    pub source: String,
    /// Port as written (`8080`, or a name such as `http`).
    pub port: String,
    /// Port name, for a k8s `containerPort` given a `name:`.
    pub name: Option<String>,
    /// The deploy config it belongs to (see [`HealthCheck::owner`]).
    pub owner: Span,
}

/// A source of environment variables not listed one by one: k8s `envFrom`, compose
/// `env_file`. Rules that compare variable names skip owners that have one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvSource {
    /// The `envFrom` / `env_file` entry.
    pub span: Span,
    /// `envFrom` or `env_file`.
    pub kind: String,
    /// ConfigMap/Secret name or file path, when given.
    pub name: Option<String>,
    /// The k8s container entry or compose service key it belongs to.
    pub owner: Span,
}

/// Pod template labels of a Kubernetes workload, for matching Service selectors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct K8sPodLabels {
    /// The workload (same span as [`K8sWorkload::span`]).
    pub workload: Span,
    /// Labels as `key=value`.
    pub labels: Vec<String>,
}

/// A port of a Kubernetes `Service`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct K8sServicePort {
    /// The port entry.
    pub span: Span,
    /// `port:` as written.
    pub port: Option<String>,
    /// `targetPort:` as written (a number or a container port name), when given.
    pub target_port: Option<String>,
    /// Where `targetPort` is written, when given.
    pub target_span: Option<Span>,
}

/// A Kubernetes `Service`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct K8sService {
    /// The `kind:` key of the document.
    pub span: Span,
    /// `metadata.name`.
    pub name: String,
    /// `spec.selector` as `key=value`.
    pub selector: Vec<String>,
    /// Ports.
    pub ports: Vec<K8sServicePort>,
}

/// All facts of a project (or of one file, before merging).
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Facts {
    /// HTTP routes.
    pub routes: Vec<Route>,
    /// Router mounts.
    pub mounts: Vec<Mount>,
    /// Router and app declarations.
    pub routers: Vec<RouterDecl>,
    /// Router-level middleware.
    pub middleware_uses: Vec<MiddlewareUse>,
    /// Imports.
    pub imports: Vec<Import>,
    /// Exports.
    pub exports: Vec<Export>,
    /// Outbound HTTP calls.
    pub outbound_calls: Vec<OutboundCall>,
    /// Env var reads.
    pub env_reads: Vec<EnvRead>,
    /// DB / Redis / queue clients.
    pub data_clients: Vec<DataClient>,
    /// Server starts.
    pub server_starts: Vec<ServerStart>,
    /// Signal handlers.
    pub signal_handlers: Vec<SignalHandler>,
    /// Process exits.
    pub process_exits: Vec<ProcessExit>,
    /// Log and print calls.
    pub log_calls: Vec<LogCall>,
    /// SQL executions.
    pub sql_execs: Vec<SqlExec>,
    /// Manifest dependencies.
    pub dependencies: Vec<Dependency>,
    /// CORS configurations.
    pub cors: Vec<Cors>,
    /// Credential-looking literals.
    pub secret_literals: Vec<SecretLiteral>,
    /// Dockerfiles.
    pub dockerfiles: Vec<Dockerfile>,
    /// Kubernetes workloads.
    pub k8s_workloads: Vec<K8sWorkload>,
    /// Scheduled jobs.
    pub scheduled_jobs: Vec<ScheduledJob>,
    /// WebSocket servers.
    pub websocket_servers: Vec<WebSocketServer>,
    /// WebSocket clients.
    pub websocket_clients: Vec<WebSocketClient>,
    /// Paid third-party API calls.
    pub paid_api_calls: Vec<PaidApiCall>,
    /// Compose services.
    pub compose_services: Vec<ComposeService>,
    /// CI pipelines.
    pub ci_pipelines: Vec<CiPipeline>,
    /// `package.json` scripts.
    pub package_scripts: Vec<PackageScript>,
    /// Dependabot / Renovate configurations.
    pub dependency_update_configs: Vec<DependencyUpdateConfig>,
    /// tsconfig files.
    pub tsconfigs: Vec<TsConfig>,
    /// Coverage reports.
    pub coverage_reports: Vec<CoverageReport>,
    /// Coverage thresholds.
    pub coverage_thresholds: Vec<CoverageThreshold>,
    /// Skipped tests.
    pub test_skips: Vec<TestSkip>,
    /// Table definitions by schema sources.
    pub schema_defs: Vec<SchemaDef>,
    /// Schema created from models at run time.
    pub schema_syncs: Vec<SchemaSync>,
    /// Migration folders.
    pub migration_dirs: Vec<MigrationDir>,
    /// Container build contexts.
    pub docker_contexts: Vec<DockerContext>,
    /// Backup procedures.
    pub backup_evidence: Vec<BackupEvidence>,
    /// Kubernetes `Secret` manifests.
    pub k8s_secrets: Vec<K8sSecret>,
    /// Hand-opened database transactions.
    pub transactions: Vec<Transaction>,
    /// Page sizes read from requests.
    pub request_limits: Vec<RequestLimit>,
    /// Jobs added to queues.
    pub job_enqueues: Vec<JobEnqueue>,
    /// Failed-job handlers.
    pub job_failure_handlers: Vec<JobFailureHandler>,
    /// Rate limiters.
    pub rate_limiters: Vec<RateLimiter>,
    /// Queries run in loops over query results.
    pub queries_in_loops: Vec<QueryInLoop>,
    /// Debug output leftovers.
    pub debug_outputs: Vec<DebugOutput>,
    /// Config, env or secret values written to logs.
    pub config_logs: Vec<ConfigLog>,
    /// Audit-trail calls.
    pub audit_calls: Vec<AuditCall>,
    /// Service state written to local disk.
    pub local_state_writes: Vec<LocalStateWrite>,
    /// Guards declared on handler functions.
    pub handler_guards: Vec<HandlerGuard>,
    /// JWT sign/verify/decode calls.
    pub jwt_calls: Vec<JwtCall>,
    /// Error details sent to clients.
    pub error_exposures: Vec<ErrorExposure>,
    /// Request body readers and their caps.
    pub body_reads: Vec<BodyRead>,
    /// HTTP health checks of deploy configs.
    pub health_checks: Vec<HealthCheck>,
    /// Ports deploy configs expect.
    pub deploy_ports: Vec<DeployPort>,
    /// `envFrom` / `env_file` sources.
    pub env_sources: Vec<EnvSource>,
    /// Pod template labels of k8s workloads.
    pub k8s_pod_labels: Vec<K8sPodLabels>,
    /// Kubernetes Services.
    pub k8s_services: Vec<K8sService>,
    /// Env vars declared outside code.
    pub env_docs: Vec<EnvDoc>,
    /// Env vars validated or checked by code.
    pub env_checks: Vec<EnvCheck>,
    /// Request input (or LLM output) reaching file, command, code or URL sinks.
    pub input_flows: Vec<InputFlow>,
    /// WebSocket connection handlers.
    pub websocket_handlers: Vec<WebSocketHandler>,
    /// Session and cookie configurations.
    pub cookie_settings: Vec<CookieSetting>,
    /// TLS termination in deployment config.
    pub tls_terminations: Vec<TlsTermination>,
    /// Messages sent to queues, topics, streams and subjects.
    pub queue_producers: Vec<QueueProducer>,
    /// Queue, topic, stream and subject consumers.
    pub queue_consumers: Vec<QueueConsumer>,
    /// HTTP client instances.
    pub http_clients: Vec<HttpClient>,
    /// Calls on imported names that may be client instances (resolved by the linker).
    pub client_call_sites: Vec<ClientCallSite>,
    /// Functions and methods whose parameter becomes the URL of an HTTP call.
    #[serde(default)]
    pub http_wrappers: Vec<HttpWrapper>,
    /// Query parameter reads in server code.
    pub query_reads: Vec<QueryRead>,
    /// Frontend proxy rules (Vite, Next.js rewrites, CRA).
    pub proxy_rules: Vec<ProxyRule>,
}

impl Facts {
    /// Appends all facts of `other`.
    pub fn extend(&mut self, other: Facts) {
        let Facts {
            routes,
            mounts,
            routers,
            middleware_uses,
            imports,
            exports,
            outbound_calls,
            env_reads,
            data_clients,
            server_starts,
            signal_handlers,
            process_exits,
            log_calls,
            sql_execs,
            dependencies,
            cors,
            secret_literals,
            dockerfiles,
            k8s_workloads,
            scheduled_jobs,
            websocket_servers,
            websocket_clients,
            paid_api_calls,
            compose_services,
            ci_pipelines,
            package_scripts,
            dependency_update_configs,
            tsconfigs,
            coverage_reports,
            coverage_thresholds,
            test_skips,
            schema_defs,
            schema_syncs,
            migration_dirs,
            docker_contexts,
            backup_evidence,
            k8s_secrets,
            transactions,
            request_limits,
            job_enqueues,
            job_failure_handlers,
            rate_limiters,
            queries_in_loops,
            debug_outputs,
            config_logs,
            audit_calls,
            local_state_writes,
            handler_guards,
            jwt_calls,
            error_exposures,
            body_reads,
            health_checks,
            deploy_ports,
            env_sources,
            k8s_pod_labels,
            k8s_services,
            env_docs,
            env_checks,
            input_flows,
            queue_producers,
            queue_consumers,
            http_clients,
            client_call_sites,
            http_wrappers,
            query_reads,
            proxy_rules,
            websocket_handlers,
            cookie_settings,
            tls_terminations,
        } = other;
        self.routes.extend(routes);
        self.mounts.extend(mounts);
        self.routers.extend(routers);
        self.middleware_uses.extend(middleware_uses);
        self.imports.extend(imports);
        self.exports.extend(exports);
        self.outbound_calls.extend(outbound_calls);
        self.env_reads.extend(env_reads);
        self.data_clients.extend(data_clients);
        self.server_starts.extend(server_starts);
        self.signal_handlers.extend(signal_handlers);
        self.process_exits.extend(process_exits);
        self.log_calls.extend(log_calls);
        self.sql_execs.extend(sql_execs);
        self.dependencies.extend(dependencies);
        self.cors.extend(cors);
        self.secret_literals.extend(secret_literals);
        self.dockerfiles.extend(dockerfiles);
        self.k8s_workloads.extend(k8s_workloads);
        self.scheduled_jobs.extend(scheduled_jobs);
        self.websocket_servers.extend(websocket_servers);
        self.websocket_clients.extend(websocket_clients);
        self.paid_api_calls.extend(paid_api_calls);
        self.compose_services.extend(compose_services);
        self.ci_pipelines.extend(ci_pipelines);
        self.package_scripts.extend(package_scripts);
        self.dependency_update_configs
            .extend(dependency_update_configs);
        self.tsconfigs.extend(tsconfigs);
        self.coverage_reports.extend(coverage_reports);
        self.coverage_thresholds.extend(coverage_thresholds);
        self.test_skips.extend(test_skips);
        self.schema_defs.extend(schema_defs);
        self.schema_syncs.extend(schema_syncs);
        self.migration_dirs.extend(migration_dirs);
        self.docker_contexts.extend(docker_contexts);
        self.backup_evidence.extend(backup_evidence);
        self.k8s_secrets.extend(k8s_secrets);
        self.handler_guards.extend(handler_guards);
        self.jwt_calls.extend(jwt_calls);
        self.error_exposures.extend(error_exposures);
        self.body_reads.extend(body_reads);
        self.health_checks.extend(health_checks);
        self.deploy_ports.extend(deploy_ports);
        self.env_sources.extend(env_sources);
        self.k8s_pod_labels.extend(k8s_pod_labels);
        self.k8s_services.extend(k8s_services);
        self.env_docs.extend(env_docs);
        self.env_checks.extend(env_checks);
        self.input_flows.extend(input_flows);
        self.websocket_handlers.extend(websocket_handlers);
        self.cookie_settings.extend(cookie_settings);
        self.tls_terminations.extend(tls_terminations);
        self.queue_producers.extend(queue_producers);
        self.queue_consumers.extend(queue_consumers);
        self.http_clients.extend(http_clients);
        self.client_call_sites.extend(client_call_sites);
        self.http_wrappers.extend(http_wrappers);
        self.query_reads.extend(query_reads);
        self.proxy_rules.extend(proxy_rules);
        self.transactions.extend(transactions);
        self.request_limits.extend(request_limits);
        self.job_enqueues.extend(job_enqueues);
        self.job_failure_handlers.extend(job_failure_handlers);
        self.rate_limiters.extend(rate_limiters);
        self.queries_in_loops.extend(queries_in_loops);
        self.debug_outputs.extend(debug_outputs);
        self.config_logs.extend(config_logs);
        self.audit_calls.extend(audit_calls);
        self.local_state_writes.extend(local_state_writes);
    }

    /// Whether no fact was found.
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
            && self.mounts.is_empty()
            && self.routers.is_empty()
            && self.middleware_uses.is_empty()
            && self.imports.is_empty()
            && self.exports.is_empty()
            && self.outbound_calls.is_empty()
            && self.env_reads.is_empty()
            && self.data_clients.is_empty()
            && self.server_starts.is_empty()
            && self.signal_handlers.is_empty()
            && self.process_exits.is_empty()
            && self.log_calls.is_empty()
            && self.sql_execs.is_empty()
            && self.dependencies.is_empty()
            && self.cors.is_empty()
            && self.secret_literals.is_empty()
            && self.dockerfiles.is_empty()
            && self.k8s_workloads.is_empty()
            && self.scheduled_jobs.is_empty()
            && self.websocket_servers.is_empty()
            && self.websocket_clients.is_empty()
            && self.paid_api_calls.is_empty()
            && self.compose_services.is_empty()
            && self.ci_pipelines.is_empty()
            && self.package_scripts.is_empty()
            && self.dependency_update_configs.is_empty()
            && self.tsconfigs.is_empty()
            && self.coverage_reports.is_empty()
            && self.coverage_thresholds.is_empty()
            && self.test_skips.is_empty()
            && self.schema_defs.is_empty()
            && self.schema_syncs.is_empty()
            && self.migration_dirs.is_empty()
            && self.docker_contexts.is_empty()
            && self.backup_evidence.is_empty()
            && self.k8s_secrets.is_empty()
            && self.handler_guards.is_empty()
            && self.jwt_calls.is_empty()
            && self.error_exposures.is_empty()
            && self.body_reads.is_empty()
            && self.health_checks.is_empty()
            && self.deploy_ports.is_empty()
            && self.env_sources.is_empty()
            && self.k8s_pod_labels.is_empty()
            && self.k8s_services.is_empty()
            && self.env_docs.is_empty()
            && self.env_checks.is_empty()
            && self.input_flows.is_empty()
            && self.websocket_handlers.is_empty()
            && self.cookie_settings.is_empty()
            && self.tls_terminations.is_empty()
            && self.queue_producers.is_empty()
            && self.queue_consumers.is_empty()
            && self.http_clients.is_empty()
            && self.client_call_sites.is_empty()
            && self.http_wrappers.is_empty()
            && self.query_reads.is_empty()
            && self.proxy_rules.is_empty()
            && self.transactions.is_empty()
            && self.request_limits.is_empty()
            && self.job_enqueues.is_empty()
            && self.job_failure_handlers.is_empty()
            && self.rate_limiters.is_empty()
            && self.queries_in_loops.is_empty()
            && self.debug_outputs.is_empty()
            && self.config_logs.is_empty()
            && self.audit_calls.is_empty()
            && self.local_state_writes.is_empty()
    }
}
