//! Language-neutral facts. Extractors in `shipready_facts` produce them from syntax; rules
//! read them. A fact never holds syntax nodes, only strings, flags and spans.

use serde::Serialize;

use crate::Span;

/// Web framework (or client library family) a fact comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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
    /// Next.js API routes (pages/api and app router route handlers)
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Middleware {
    /// Name as written (`authenticate`, `rateLimit`, `Depends(get_current_user)` -> `get_current_user`).
    pub name: String,
    /// Where it is applied.
    pub span: Span,
}

/// The function that handles a route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Export {
    /// The export.
    pub span: Span,
    /// Local name exported.
    pub local: String,
    /// Exported as (`default` for default exports).
    pub exported: String,
}

/// An outbound HTTP call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
}

/// An environment variable read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcessExit {
    /// The call.
    pub span: Span,
    /// Call as written (`process.exit(-1)`, `log.Fatalf`).
    pub api: String,
    /// Where it sits.
    pub context: ExitContext,
}

/// A log or print call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DockerInstruction {
    /// The instruction (all its continuation lines).
    pub span: Span,
    /// Upper-case keyword (`FROM`, `USER`, `COPY`...).
    pub keyword: String,
    /// Arguments as written, continuation lines joined.
    pub args: String,
}

/// One build stage of a Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduledJob {
    /// The registration.
    pub span: Span,
    /// API (`cron.schedule`, `setInterval`, `time.NewTicker`).
    pub api: String,
    /// The job body, when visible.
    pub body: Option<Span>,
}

/// All facts of a project (or of one file, before merging).
#[derive(Debug, Default, Clone, Serialize)]
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
    }
}
