//! Where an env read runs and what its value goes into, read from the text around it: the
//! cases where a missing value fails at boot, or is settled at boot, rather than failing at
//! first use (CFG001). Every scan is bounded (lines looked back, bytes scanned).

use std::collections::BTreeSet;

use shipready_model::{EnvRead, Lang, Project};

/// Lines looked back for the enclosing function or class.
const MAX_LINES_BACK: usize = 400;
/// Bytes scanned back from a read for the call it is an argument of.
const MAX_CALL_SCAN: usize = 400;
/// Later uses of a bound name looked at.
const MAX_USES: usize = 20;

/// What the repository tells about where reads run, computed once per scan.
pub(crate) struct BootIndex<'p> {
    /// Folders holding a Django settings module (a Python file defining `INSTALLED_APPS`).
    django_settings_dirs: BTreeSet<&'p str>,
    /// Whether a Flask app loads a config class (`app.config.from_object(`).
    flask_config_classes: bool,
    /// Files that serve routes or start a server.
    serving: BTreeSet<&'p str>,
    /// Files other files import.
    imported: BTreeSet<&'p str>,
}

impl<'p> BootIndex<'p> {
    pub(crate) fn new(project: &'p Project) -> Self {
        let mut django_settings_dirs = BTreeSet::new();
        let mut flask_config_classes = false;
        for f in &project.files {
            if f.lang != Lang::Python {
                continue;
            }
            let Some(text) = f.text.as_deref() else {
                continue;
            };
            if text.lines().any(|l| l.starts_with("INSTALLED_APPS")) {
                django_settings_dirs.insert(parent(&f.path));
            }
            flask_config_classes |= text.contains(".from_object(");
        }
        let facts = &project.facts;
        let serving = facts
            .routes
            .iter()
            .map(|r| r.span.file)
            .chain(facts.server_starts.iter().map(|s| s.span.file))
            .map(|id| project.file(id).path.as_str())
            .collect();
        let imported = facts
            .imports
            .iter()
            .filter_map(|i| i.resolved.as_deref())
            .collect();
        BootIndex {
            django_settings_dirs,
            flask_config_classes,
            serving,
            imported,
        }
    }
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Whether a missing value of this read fails or is settled at boot, not at first use:
/// - it is handed straight to a constructor or connect call that runs at boot (module level,
///   or a boot function such as `main` or `create_app`): `ContactsDb(os.environ.get("URI"))`,
///   `Anthropic(api_key=KEY)`, `mongoose.connect(process.env.URI)`; the callee parses or
///   checks it when the process starts (not in Go, where a missing value is a valid `""`);
/// - it is a setting of a Django settings module or a Flask config class: the code that
///   uses the setting decides whether it is optional (`if settings.X:`), not the read;
/// - it is an argument of a call at the module level of a one-shot script (no routes, no
///   server, imported by no file): the script uses it the moment it starts;
/// - it is a whole JSX prop value without `!` in TypeScript (`mcpUrl={process.env.MCP_URL}`):
///   the prop's type accepts `undefined`, so the component handles a missing value.
pub(crate) fn settled_at_boot(project: &Project, index: &BootIndex<'_>, read: &EnvRead) -> bool {
    let file = project.file(read.span.file);
    let Some(text) = file.text.as_deref() else {
        return false;
    };
    let (start, end) = (read.span.start as usize, read.span.end as usize);
    if start > end || end > text.len() || !text.is_char_boundary(start) {
        return false;
    }
    let lang = file.lang;
    if lang == Lang::Python {
        if index.django_settings_dirs.contains(parent(&file.path)) {
            return true;
        }
        if index.flask_config_classes
            && matches!(scope_of(text, start, lang), Scope::Class(n) if n.contains("Config"))
        {
            return true;
        }
        if matches!(scope_of(text, start, lang), Scope::Module)
            && call_of(text, start).is_some()
            && !index.serving.contains(file.path.as_str())
            && !index.imported.contains(file.path.as_str())
        {
            return true;
        }
    }
    if lang == Lang::Tsx && optional_prop(text, start, end) {
        return true;
    }
    let bound = bound_name(text, start);
    // Handed (directly or through the name it is bound to) to a function of the component
    // that tests the parameter it lands in: `NewRepo(uri, user)` with `if user == ""`.
    let sites = std::iter::once(start).chain(
        bound
            .into_iter()
            .flat_map(|name| uses_of(text, name, end).take(MAX_USES)),
    );
    for at in sites {
        if callee_checks(project, file.component, lang, text, at) {
            return true;
        }
    }
    if !(lang == Lang::Python || lang.is_js_family()) {
        return false;
    }
    if constructed_at_boot(text, start, lang) {
        return true;
    }
    // Through the name the read is bound to: `URI = os.getenv("URI")` ... `Db(URI)`.
    let Some(name) = bound else {
        return false;
    };
    if !is_boot(scope_of(text, start, lang)) {
        return false;
    }
    uses_of(text, name, end)
        .take(MAX_USES)
        .any(|at| constructed_at_boot(text, at, lang))
}

/// Files of a component searched for a callee's definition.
const MAX_FILES_SEARCHED: usize = 2_000;
/// Bytes of a callee's body searched for a test of its parameter.
const MAX_BODY: usize = 6_000;

/// Whether the expression at `at` is a direct argument of a call to a function defined in
/// the same component (same language) whose matching parameter that function tests
/// (`if user == ""`, `if not uri`, `!key`): the callee handles a missing value.
fn callee_checks(
    project: &Project,
    component: shipready_model::ComponentId,
    lang: Lang,
    text: &str,
    at: usize,
) -> bool {
    let Some(call) = call_of(text, at) else {
        return false;
    };
    if call.nested || call.keyword {
        return false;
    }
    let name = call.callee.rsplit('.').next().unwrap_or(call.callee);
    if name.len() < 3 {
        return false;
    }
    let mut index = 0usize;
    let mut depth = 0i32;
    for b in text.as_bytes().get(call.open + 1..at).unwrap_or(&[]) {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            b',' if depth == 0 => index += 1,
            _ => {}
        }
    }
    let family = |l: Lang| l == lang || (l.is_js_family() && lang.is_js_family());
    project
        .files
        .iter()
        .filter(|f| f.component == component && family(f.lang))
        .take(MAX_FILES_SEARCHED)
        .filter_map(|f| f.text.as_deref())
        .any(|t| definition_checks(t, name, index, lang))
}

/// Whether `text` defines function `name` and tests its parameter number `index`.
fn definition_checks(text: &str, name: &str, index: usize, lang: Lang) -> bool {
    let heads: &[&str] = match lang {
        Lang::Go => &["func ", ") "],
        Lang::Python => &["def "],
        _ => &["function "],
    };
    for (p, _) in text.match_indices(name) {
        let before = &text[..p];
        if !heads.iter().any(|h| before.ends_with(h)) {
            continue;
        }
        // `) Name(` is a Go method only on a `func (r *T) Name(` line.
        let line = &before[before.rfind('\n').map_or(0, |q| q + 1)..];
        if lang == Lang::Go && !line.starts_with("func") {
            continue;
        }
        let Some(rest) = text.get(p + name.len()..) else {
            continue;
        };
        let Some(params) = rest.strip_prefix('(') else {
            continue;
        };
        let Some(close) = params.find(')') else {
            continue;
        };
        let mut list: Vec<&str> = params[..close].split(',').map(str::trim).collect();
        if lang == Lang::Python && list.first().is_some_and(|f| *f == "self" || *f == "cls") {
            list.remove(0);
        }
        let Some(param) = list.get(index) else {
            continue;
        };
        let param = param
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("");
        if param.len() < 2 {
            continue;
        }
        let body_start = p + name.len() + 1 + close;
        let mut body_end = (body_start + MAX_BODY).min(text.len());
        while !text.is_char_boundary(body_end) {
            body_end -= 1;
        }
        let body = &text[body_start..body_end];
        let body = body
            .find("\nfunc ")
            .or_else(|| body.find("\ndef "))
            .or_else(|| body.find("\nfunction "))
            .map_or(body, |e| &body[..e]);
        if tests_value(body, param) {
            return true;
        }
    }
    false
}

/// Whether `body` tests `name` for a missing value.
fn tests_value(body: &str, name: &str) -> bool {
    uses_of(body, name, 0).any(|at| {
        let prefix = body[..at].trim_end();
        let suffix = body[at + name.len()..].trim_start();
        prefix.ends_with('!')
            || ["not", "if", "len("].iter().any(|w| prefix.ends_with(w))
            || [
                "== \"\"",
                "!= \"\"",
                "is None",
                "is not None",
                "==\"\"",
                "!=\"\"",
            ]
            .iter()
            .any(|w| suffix.starts_with(w))
    })
}

/// Whether the expression at `at` is a direct argument (positional, or a Python keyword) of a
/// constructor or connect call that runs at boot.
fn constructed_at_boot(text: &str, at: usize, lang: Lang) -> bool {
    let Some(call) = call_of(text, at) else {
        return false;
    };
    if call.nested || !is_boot(scope_of(text, at, lang)) {
        return false;
    }
    let last = call.callee.rsplit('.').next().unwrap_or(call.callee);
    let connect = matches!(
        last,
        "connect" | "create_engine" | "create_async_engine" | "from_url"
    );
    if lang == Lang::Python {
        return connect || last.starts_with(|c: char| c.is_ascii_uppercase());
    }
    // JS: `new X(value)` or `x.connect(value)`, positional only.
    !call.keyword && (connect || call.new)
}

/// The call a read is an argument of.
struct Call<'t> {
    /// Callee as written (`ContactsDb`, `mongoose.connect`).
    callee: &'t str,
    /// Inside a list, tuple, dict or object literal within the call.
    nested: bool,
    /// A Python keyword argument (`api_key=...`).
    keyword: bool,
    /// Preceded by `new`.
    new: bool,
    /// Where the call's `(` is.
    open: usize,
}

fn call_of(text: &str, at: usize) -> Option<Call<'_>> {
    let before = text.get(..at)?;
    let bytes = before.as_bytes();
    let keyword = {
        let t = before.trim_end();
        t.ends_with('=') && !t.ends_with("==") && {
            let k = t[..t.len() - 1].trim_end();
            k.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        }
    };
    let mut depth = 0usize;
    let mut nested = false;
    let floor = at.saturating_sub(MAX_CALL_SCAN);
    let mut i = at;
    while i > floor {
        i -= 1;
        match bytes[i] {
            b')' | b']' | b'}' => depth += 1,
            b'(' | b'[' | b'{' if depth > 0 => depth -= 1,
            b'(' => {
                let head = before[..i].trim_end_matches([' ', '\t']);
                let ident_start = head
                    .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                    .map_or(0, |p| p + 1);
                let callee = &head[ident_start..];
                if callee.is_empty() || matches!(callee, "if" | "while" | "for" | "switch") {
                    // A tuple or a grouping: the read is inside it.
                    nested = true;
                    continue;
                }
                let new = head[..ident_start].trim_end().ends_with("new");
                return Some(Call {
                    callee,
                    nested,
                    keyword,
                    new,
                    open: i,
                });
            }
            b'[' | b'{' => nested = true,
            b';' if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

/// The function or class a position is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope<'t> {
    Module,
    Function(&'t str),
    Class(&'t str),
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// The innermost function or class around `at`, found by indentation (Python, JS/TS, Go).
/// Unknown (too far back) counts as an anonymous function.
fn scope_of(text: &str, at: usize, lang: Lang) -> Scope<'_> {
    let line_start = text[..at].rfind('\n').map_or(0, |p| p + 1);
    let mut indent = indent_of(&text[line_start..]);
    if indent == 0 {
        return Scope::Module;
    }
    let mut end = line_start;
    for _ in 0..MAX_LINES_BACK {
        let Some(e) = end.checked_sub(1) else {
            return Scope::Module;
        };
        let start = text[..e].rfind('\n').map_or(0, |p| p + 1);
        let line = &text[start..e];
        end = start;
        let t = line.trim();
        if t.is_empty()
            || ["#", "//", "*", "/*", ")", "]", "}"]
                .iter()
                .any(|p| t.starts_with(p))
        {
            continue;
        }
        let ind = indent_of(line);
        if ind >= indent {
            continue;
        }
        if let Some(s) = header(t, lang) {
            return s;
        }
        indent = ind;
        if ind == 0 {
            return Scope::Module;
        }
    }
    Scope::Function("")
}

/// The scope a line opens, when it opens a function or class.
fn header(t: &str, lang: Lang) -> Option<Scope<'_>> {
    let name_after = |s: &'static str| -> &str {
        t.find(s).map_or("", |p| {
            let rest = t[p + s.len()..].trim_start();
            let n = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..n]
        })
    };
    match lang {
        Lang::Python => {
            if t.starts_with("def ") || t.starts_with("async def ") {
                Some(Scope::Function(name_after("def ")))
            } else if t.starts_with("class ") {
                Some(Scope::Class(name_after("class ")))
            } else {
                None
            }
        }
        Lang::Go => t
            .starts_with("func")
            .then(|| {
                let rest = t.trim_start_matches("func").trim_start();
                let rest = if rest.starts_with('(') {
                    rest.find(')').map_or("", |p| rest[p + 1..].trim_start())
                } else {
                    rest
                };
                let n = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                Scope::Function(&rest[..n])
            })
            .or_else(|| t.contains("func(").then_some(Scope::Function(""))),
        _ => {
            let words = t
                .trim_start_matches("export ")
                .trim_start_matches("default ");
            if words.starts_with("class ") {
                return Some(Scope::Class(name_after("class ")));
            }
            if t.contains("function") {
                return Some(Scope::Function(name_after("function")));
            }
            if t.contains("=>") {
                let binding = t
                    .trim_start_matches("export ")
                    .trim_start_matches("const ")
                    .trim_start_matches("let ");
                let n = binding
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(0);
                let is_binding = binding[n..].trim_start().starts_with('=');
                return Some(Scope::Function(if is_binding { &binding[..n] } else { "" }));
            }
            // A method: `async connect() {`, `static init(config) {`.
            let m = t
                .trim_start_matches("public ")
                .trim_start_matches("private ")
                .trim_start_matches("static ")
                .trim_start_matches("async ");
            let n = m
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(0);
            let is_method = n > 0
                && m[n..].starts_with('(')
                && t.ends_with('{')
                && !matches!(
                    &m[..n],
                    "if" | "for" | "while" | "switch" | "catch" | "with"
                );
            is_method.then(|| Scope::Function(&m[..n]))
        }
    }
}

/// Whether code in this scope runs when the process starts.
fn is_boot(scope: Scope<'_>) -> bool {
    let name = match scope {
        Scope::Module => return true,
        Scope::Class(_) => return false,
        Scope::Function(n) => n.to_ascii_lowercase(),
    };
    matches!(
        name.as_str(),
        "main" | "create_app" | "createapp" | "make_app" | "build_app" | "lifespan" | "startup"
    ) || [
        "init",
        "setup",
        "set_up",
        "bootstrap",
        "configure",
        "start",
        "on_startup",
        "connect",
    ]
    .iter()
    .any(|p| name.starts_with(p))
}

/// The name a read is bound to when it is the whole right-hand side of an assignment on its
/// line (`URI = os.getenv("URI")`, `const uri = process.env.URI;`).
fn bound_name(text: &str, at: usize) -> Option<&str> {
    let line_start = text[..at].rfind('\n').map_or(0, |p| p + 1);
    let before = text[line_start..at].trim();
    let lhs = before.strip_suffix('=')?.trim_end();
    if lhs.ends_with(['=', '!', '<', '>']) {
        return None;
    }
    let lhs = lhs
        .trim_start_matches("export ")
        .trim_start_matches("const ")
        .trim_start_matches("let ")
        .trim_start_matches("var ")
        .trim();
    let lhs = lhs.split(':').next().unwrap_or(lhs).trim();
    (lhs.len() >= 2 && lhs.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')).then_some(lhs)
}

/// Where `name` appears as a whole word after `from`.
fn uses_of<'t>(text: &'t str, name: &'t str, from: usize) -> impl Iterator<Item = usize> + 't {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'.';
    let bytes = text.as_bytes();
    text.get(from..)
        .unwrap_or("")
        .match_indices(name)
        .map(move |(p, _)| from + p)
        .filter(move |&at| {
            let end = at + name.len();
            (at == 0 || !word(bytes[at - 1])) && (end >= bytes.len() || !word(bytes[end]))
        })
}

/// `prop={process.env.X}` with nothing else in the braces.
fn optional_prop(text: &str, start: usize, end: usize) -> bool {
    text[..start].trim_end().ends_with("={")
        && text
            .get(end..)
            .is_some_and(|t| t.trim_start().starts_with('}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, needle: &str) -> usize {
        text.find(needle).unwrap_or(0)
    }

    #[test]
    fn scopes() {
        let py = "import os\n\ndef create_app():\n    app = 1\n    db = Db(\n        os.environ.get(\"U\"))\n";
        assert_eq!(
            scope_of(py, at(py, "os.environ"), Lang::Python),
            Scope::Function("create_app")
        );
        let module = "client = Es(\n    [os.getenv(\"X\")],\n)\n";
        assert_eq!(
            scope_of(module, at(module, "os.getenv"), Lang::Python),
            Scope::Module
        );
        let class = "class Config:\n    KEY = os.environ.get('K')\n";
        assert_eq!(
            scope_of(class, at(class, "os.environ"), Lang::Python),
            Scope::Class("Config")
        );
        let js = "const connectDB = async () => {\n  try {\n    await mongoose.connect(process.env.M);\n";
        assert_eq!(
            scope_of(js, at(js, "process"), Lang::JavaScript),
            Scope::Function("connectDB")
        );
        let handler = "app.get('/', (req, res) => {\n  fetch(process.env.U);\n";
        assert_eq!(
            scope_of(handler, at(handler, "process"), Lang::JavaScript),
            Scope::Function("")
        );
    }

    #[test]
    fn constructors() {
        let py = "def create_app():\n    db = ContactsDb(os.environ.get(\"U\"), log)\n";
        assert!(constructed_at_boot(py, at(py, "os.environ"), Lang::Python));
        let kw = "client = anthropic.Anthropic(api_key=KEY)\n";
        assert!(constructed_at_boot(kw, at(kw, "KEY"), Lang::Python));
        let late = "def handler():\n    db = ContactsDb(os.environ.get(\"U\"))\n";
        assert!(!constructed_at_boot(
            late,
            at(late, "os.environ"),
            Lang::Python
        ));
        let dict = "x = Client(opts={\"k\": os.getenv(\"K\")})\n";
        assert!(!constructed_at_boot(
            dict,
            at(dict, "os.getenv"),
            Lang::Python
        ));
        let pool = "export const pool = new Pool({ connectionString: process.env.D });\n";
        assert!(!constructed_at_boot(
            pool,
            at(pool, "process"),
            Lang::TypeScript
        ));
        let new = "const s = new Stripe(process.env.STRIPE_KEY);\n";
        assert!(constructed_at_boot(
            new,
            at(new, "process"),
            Lang::TypeScript
        ));
        let plain = "const s = sign(process.env.KEY);\n";
        assert!(!constructed_at_boot(
            plain,
            at(plain, "process"),
            Lang::TypeScript
        ));
    }

    #[test]
    fn callee_tests() {
        let go = "func NewRepo(uri string, user string, pass string) (*Repo, error) {\n\tif user == \"\" && pass == \"\" {\n";
        assert!(definition_checks(go, "NewRepo", 1, Lang::Go));
        assert!(!definition_checks(go, "NewRepo", 0, Lang::Go));
        let py =
            "class Db:\n    def connect(self, uri):\n        if not uri:\n            return\n";
        assert!(definition_checks(py, "connect", 0, Lang::Python));
    }

    #[test]
    fn bindings_and_props() {
        let py = "URI = os.getenv(\"URI\")\n";
        assert_eq!(bound_name(py, at(py, "os.")), Some("URI"));
        let js = "  const uri: string = process.env.U;";
        assert_eq!(bound_name(js, at(js, "process")), Some("uri"));
        let cmp = "if x == os.getenv(\"A\")";
        assert_eq!(bound_name(cmp, at(cmp, "os.")), None);
        let jsx = "<V mcpUrl={process.env.MCP_URL}\n";
        let s = at(jsx, "process");
        assert!(optional_prop(jsx, s, s + "process.env.MCP_URL".len()));
        let bang = "<V url={process.env.URL!}\n";
        let s = at(bang, "process");
        assert!(!optional_prop(bang, s, s + "process.env.URL".len()));
    }
}
