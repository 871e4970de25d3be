//! Tree-sitter parsing of application code, one parser per language and thread.

use std::cell::RefCell;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use tree_sitter::{Language, Node, ParseOptions, Parser, Tree};

/// How long one file may take to parse before it is given up with reason `timeout`. Real
/// code parses at several MB/s and files are capped at a few MB, so this never triggers on
/// real code; it bounds pathological input.
pub const DEFAULT_PARSE_BUDGET: Duration = Duration::from_secs(5);

/// The environment variable that overrides [`DEFAULT_PARSE_BUDGET`], in milliseconds.
pub const PARSE_BUDGET_ENV: &str = "SHIPREADY_PARSE_BUDGET_MS";

/// What a file gets on top of [`DEFAULT_PARSE_BUDGET`] per MiB of text (the budget is wall
/// clock, and a busy machine parses slower).
pub const PARSE_BUDGET_PER_MIB: Duration = Duration::from_secs(10);

/// Deepest syntax tree accepted. Extractors look up ancestors (each `Node::parent` costs the
/// node's depth in tree-sitter), so their time grows with the square of the nesting: deeper
/// trees are refused with [`ParseFailure::TooDeep`]. Real code stays far below this: of
/// 12,141 TS/JS/Python/Go files of 20 real repositories the deepest is 172 levels (generated
/// protobuf Go), hand-written code under 80.
pub const MAX_TREE_DEPTH: u32 = 400;

/// The parse budget set by `SHIPREADY_PARSE_BUDGET_MS` (a positive number), read once.
fn budget_override() -> Option<Duration> {
    static BUDGET: OnceLock<Option<Duration>> = OnceLock::new();
    *BUDGET.get_or_init(|| {
        std::env::var(PARSE_BUDGET_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|ms| *ms > 0)
            .map(Duration::from_millis)
    })
}

/// The parse budget of a file of `len` bytes: `SHIPREADY_PARSE_BUDGET_MS` when set, else
/// [`DEFAULT_PARSE_BUDGET`] plus [`PARSE_BUDGET_PER_MIB`] per MiB.
pub fn budget_for(len: usize) -> Duration {
    budget_override().unwrap_or_else(|| {
        let mib = len as f64 / (1024.0 * 1024.0);
        DEFAULT_PARSE_BUDGET + PARSE_BUDGET_PER_MIB.mul_f64(mib)
    })
}

/// The environment variable that sets the extraction budget of a file, in milliseconds
/// (default: the same as the parse budget, [`budget_for`] its size).
pub const EXTRACT_BUDGET_ENV: &str = "SHIPREADY_EXTRACT_BUDGET_MS";

/// The extraction budget of a file of `len` bytes: `SHIPREADY_EXTRACT_BUDGET_MS` when set (a
/// positive number), else the parse budget. Extraction is linear in real code; the budget
/// bounds pathological input where an extractor's look-ups go quadratic.
pub fn extract_budget_for(len: usize) -> Duration {
    static BUDGET: OnceLock<Option<Duration>> = OnceLock::new();
    BUDGET
        .get_or_init(|| {
            std::env::var(EXTRACT_BUDGET_ENV)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|ms| *ms > 0)
                .map(Duration::from_millis)
        })
        .unwrap_or_else(|| budget_for(len))
}

/// A point in time after which extraction stops (checked between extractor passes: a file
/// over budget keeps the facts extracted so far).
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    at: Option<Instant>,
}

impl Deadline {
    /// `budget` from now.
    pub fn after(budget: Duration) -> Self {
        Deadline {
            at: Instant::now().checked_add(budget),
        }
    }

    /// No deadline.
    pub fn never() -> Self {
        Deadline { at: None }
    }

    /// Whether the deadline has passed.
    pub fn passed(&self) -> bool {
        self.at.is_some_and(|at| Instant::now() > at)
    }
}

/// Why a file has no tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseFailure {
    /// Parsing took longer than the budget.
    Timeout,
    /// The tree is nested deeper than [`MAX_TREE_DEPTH`].
    TooDeep,
    /// Tree-sitter gave up for another reason (no language, internal limit).
    Failed,
}

/// A code language tree-sitter parses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeLang {
    /// TypeScript
    TypeScript,
    /// TSX
    Tsx,
    /// JavaScript and JSX (one grammar)
    JavaScript,
    /// Python
    Python,
    /// Go
    Go,
}

impl CodeLang {
    fn language(self) -> Language {
        match self {
            CodeLang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            CodeLang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            CodeLang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            CodeLang::Python => tree_sitter_python::LANGUAGE.into(),
            CodeLang::Go => tree_sitter_go::LANGUAGE.into(),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

thread_local! {
    static PARSERS: RefCell<[Option<Parser>; 5]> = const { RefCell::new([None, None, None, None, None]) };
}

/// A parsed file.
pub struct Parsed {
    /// The syntax tree.
    pub tree: Tree,
    /// Whether tree-sitter had to recover from syntax errors.
    pub has_errors: bool,
}

/// Parses `text` within [`budget_for`] its size, keeping a tree of any depth (for tests and
/// tools; the scan uses [`parse_within`]). Returns `None` when tree-sitter gives up (it does
/// not on valid UTF-8 input of any shape, short of the budget).
pub fn parse(lang: CodeLang, text: &str) -> Option<Parsed> {
    parse_impl(lang, text, budget_for(text.len())).ok()
}

/// Parses `text`, giving up with [`ParseFailure::Timeout`] once `budget` has passed (checked
/// by tree-sitter's progress callback every few hundred parser operations), and refusing a
/// tree deeper than [`MAX_TREE_DEPTH`] with [`ParseFailure::TooDeep`].
pub fn parse_within(lang: CodeLang, text: &str, budget: Duration) -> Result<Parsed, ParseFailure> {
    let parsed = parse_impl(lang, text, budget)?;
    if deeper_than(&parsed.tree, MAX_TREE_DEPTH) {
        return Err(ParseFailure::TooDeep);
    }
    Ok(parsed)
}

/// [`parse_within`] without the depth check: for a caller that runs [`Nodes::collect`] next,
/// which applies the same limit in the walk it makes anyway (the scan: one walk per file).
pub fn parse_within_any_depth(
    lang: CodeLang,
    text: &str,
    budget: Duration,
) -> Result<Parsed, ParseFailure> {
    parse_impl(lang, text, budget)
}

/// Whether the tree is nested deeper than `limit` (one iterative pass; stops at the first
/// node past the limit).
pub fn deeper_than(tree: &Tree, limit: u32) -> bool {
    let mut cursor = tree.walk();
    // Counted here: `TreeCursor::depth` walks the cursor's whole stack on every call.
    let mut depth = 0u32;
    loop {
        if depth > limit {
            return true;
        }
        if cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return false;
            }
            depth = depth.saturating_sub(1);
        }
    }
}

fn parse_impl(lang: CodeLang, text: &str, budget: Duration) -> Result<Parsed, ParseFailure> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let slot = &mut parsers[lang.index()];
        if slot.is_none() {
            let mut p = Parser::new();
            p.set_language(&lang.language())
                .map_err(|_| ParseFailure::Failed)?;
            *slot = Some(p);
        }
        let parser = slot.as_mut().ok_or(ParseFailure::Failed)?;
        let start = Instant::now();
        let mut timed_out = false;
        let mut over_budget = |_: &tree_sitter::ParseState| {
            timed_out = start.elapsed() > budget;
            timed_out
        };
        let bytes = text.as_bytes();
        let tree = parser.parse_with_options(
            &mut |i, _| bytes.get(i..).unwrap_or_default(),
            None,
            Some(ParseOptions::new().progress_callback(&mut over_budget)),
        );
        let Some(tree) = tree else {
            // A halted parse resumes on the next call unless the parser is reset.
            parser.reset();
            return Err(if timed_out {
                ParseFailure::Timeout
            } else {
                ParseFailure::Failed
            });
        };
        let has_errors = tree.root_node().has_error();
        Ok(Parsed { tree, has_errors })
    })
}

/// The source text of a node.
pub fn text<'a>(node: Node<'_>, src: &'a str) -> &'a str {
    src.get(node.byte_range()).unwrap_or("")
}

/// Visits every node of the tree in document order, without recursion (deeply nested input
/// cannot overflow the stack). `f` returns whether to descend into the node's children.
pub fn walk_preorder(tree: &Tree, mut f: impl FnMut(Node<'_>) -> bool) {
    let mut cursor = tree.walk();
    loop {
        let descend = f(cursor.node());
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// Same as [`walk_preorder`], below (and including) one node; the nodes keep the tree's
/// lifetime, so callers can store them.
pub fn walk_node<'t>(node: Node<'t>, mut f: impl FnMut(Node<'t>) -> bool) {
    let mut cursor = node.walk();
    // Depth below `node`, counted here: `TreeCursor::depth` walks the cursor's whole stack
    // on every call.
    let mut depth = 0usize;
    loop {
        let descend = f(cursor.node());
        if descend && cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if depth == 0 {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            depth -= 1;
            if depth == 0 {
                return;
            }
        }
    }
}

/// A file's nodes in document order (preorder, anonymous nodes included), collected in one
/// walk so extractors iterate a slice instead of walking the tree again (a tree-sitter
/// cursor step costs hundreds of instructions; a slice step a few).
pub struct Nodes<'t> {
    nodes: Vec<Node<'t>>,
    /// For each node, the index just past its subtree.
    ends: Vec<u32>,
}

impl<'t> Nodes<'t> {
    /// The nodes of `tree`, or [`ParseFailure::TooDeep`] when it is nested deeper than
    /// [`MAX_TREE_DEPTH`] (the walk stops at the first node past the limit).
    pub fn collect(tree: &'t Tree) -> Result<Self, ParseFailure> {
        Self::collect_capped(tree, MAX_TREE_DEPTH).ok_or(ParseFailure::TooDeep)
    }

    /// The nodes of `tree` at any depth (for tests and tools).
    pub fn collect_all(tree: &'t Tree) -> Self {
        Self::collect_capped(tree, u32::MAX).unwrap_or(Nodes {
            nodes: Vec::new(),
            ends: Vec::new(),
        })
    }

    fn collect_capped(tree: &'t Tree, limit: u32) -> Option<Self> {
        let mut nodes = Vec::new();
        let mut ends: Vec<u32> = Vec::new();
        // Open ancestors of the cursor's node (their `ends` are set when the walk leaves them).
        let mut open: Vec<usize> = Vec::new();
        let mut cursor = tree.walk();
        // Counted here: `TreeCursor::depth` walks the cursor's whole stack on every call.
        let mut depth = 0u32;
        loop {
            if depth > limit {
                return None;
            }
            let i = nodes.len();
            nodes.push(cursor.node());
            ends.push(0);
            if cursor.goto_first_child() {
                open.push(i);
                depth += 1;
                continue;
            }
            ends[i] = idx(nodes.len());
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return Some(Nodes { nodes, ends });
                }
                depth = depth.saturating_sub(1);
                if let Some(p) = open.pop() {
                    ends[p] = idx(nodes.len());
                }
            }
        }
    }

    /// Every node, in document order (the root first).
    pub fn all(&self) -> &[Node<'t>] {
        &self.nodes
    }

    /// The root node (`None` only for an empty list).
    pub fn root(&self) -> Option<Node<'t>> {
        self.nodes.first().copied()
    }

    /// Visits every node in document order, like [`walk_preorder`]: `f` returns whether to
    /// descend into the node's children.
    pub fn walk(&self, mut f: impl FnMut(Node<'t>) -> bool) {
        let mut i = 0;
        while let Some(&n) = self.nodes.get(i) {
            i = if f(n) {
                i + 1
            } else {
                self.ends.get(i).map_or(usize::MAX, |&e| e as usize)
            };
        }
    }

    /// The position of `n` in [`Nodes::all`] (binary search on its start, then a short scan).
    pub fn index_of(&self, n: Node<'_>) -> Option<usize> {
        let start = n.start_byte();
        let first = self.nodes.partition_point(|x| x.start_byte() < start);
        self.nodes
            .get(first..)?
            .iter()
            .take_while(|x| x.start_byte() == start)
            .position(|x| x.id() == n.id())
            .map(|p| first + p)
    }

    /// `n` and every node below it, in document order (`n` must come from this tree; an
    /// unknown node gives an empty slice).
    pub fn subtree(&self, n: Node<'_>) -> &[Node<'t>] {
        self.index_of(n)
            .and_then(|i| self.nodes.get(i..*self.ends.get(i)? as usize))
            .unwrap_or_default()
    }
}

fn idx(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// A field name resolved to its id once per grammar: `static BODY: Field =
/// Field::new("body");` then `BODY.of(node)` (`child_by_field_name` looks the name up by
/// string comparison over all the grammar's fields on every call).
pub struct Field {
    name: &'static str,
    ids: [OnceLock<Option<u16>>; 5],
}

impl Field {
    /// A field by name.
    pub const fn new(name: &'static str) -> Self {
        Field {
            name,
            ids: [const { OnceLock::new() }; 5],
        }
    }

    /// The child of `n` in this field, like `n.child_by_field_name(name)`.
    pub fn of<'t>(&self, n: Node<'t>) -> Option<Node<'t>> {
        let lang = n.language();
        let Some(i) = languages().iter().position(|l| *l == *lang) else {
            return n.child_by_field_name(self.name);
        };
        let id = *self.ids.get(i)?.get_or_init(|| {
            lang.field_id_for_name(self.name)
                .map(std::num::NonZeroU16::get)
        });
        n.child_by_field_id(id?)
    }
}

/// The five grammars, in [`CodeLang::index`] order.
fn languages() -> &'static [Language; 5] {
    static LANGS: OnceLock<[Language; 5]> = OnceLock::new();
    LANGS.get_or_init(|| {
        [
            CodeLang::TypeScript.language(),
            CodeLang::Tsx.language(),
            CodeLang::JavaScript.language(),
            CodeLang::Python.language(),
            CodeLang::Go.language(),
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_language() {
        for (lang, src) in [
            (CodeLang::TypeScript, "const a: number = 1;"),
            (CodeLang::Tsx, "const a = <div/>;"),
            (
                CodeLang::JavaScript,
                "app.get('/x', (req, res) => res.send('ok'));",
            ),
            (CodeLang::Python, "def f():\n    return 1\n"),
            (CodeLang::Go, "package main\nfunc main() {}\n"),
        ] {
            let parsed = parse(lang, src).expect("parses");
            assert!(!parsed.has_errors, "{lang:?}");
        }
    }

    #[test]
    fn budget_gives_up_with_timeout_and_parser_recovers() {
        let src = "f(a, [b, {c: d}]);\n".repeat(200_000);
        let r = parse_within(CodeLang::JavaScript, &src, Duration::from_millis(1));
        assert_eq!(r.err(), Some(ParseFailure::Timeout));
        // The halted parse is not resumed: the next file parses from scratch.
        let next =
            parse_within(CodeLang::JavaScript, "g(1);", Duration::from_mins(1)).expect("parses");
        assert_eq!(next.tree.root_node().end_byte(), 5);
        assert!(!next.has_errors);
    }

    #[test]
    fn deep_trees_are_refused_and_budget_grows_with_size() {
        let deep = "x = ".to_string() + &"(".repeat(1000) + "1" + &")".repeat(1000) + ";";
        let r = parse_within(CodeLang::JavaScript, &deep, Duration::from_mins(1));
        assert_eq!(r.err(), Some(ParseFailure::TooDeep));
        let p = parse_within_any_depth(CodeLang::JavaScript, &deep, Duration::from_mins(1))
            .expect("parses");
        assert!(deeper_than(&p.tree, MAX_TREE_DEPTH));
        assert_eq!(Nodes::collect(&p.tree).err(), Some(ParseFailure::TooDeep));
        assert!(Nodes::collect_all(&p.tree).all().len() > 2000);
        let ok = "x = ".to_string() + &"(".repeat(100) + "1" + &")".repeat(100) + ";";
        let p = parse_within(CodeLang::JavaScript, &ok, Duration::from_mins(1)).expect("parses");
        assert!(Nodes::collect(&p.tree).is_ok());
        if budget_override().is_none() {
            assert_eq!(budget_for(0), DEFAULT_PARSE_BUDGET);
            assert_eq!(
                budget_for(2 * 1024 * 1024),
                DEFAULT_PARSE_BUDGET + 2 * PARSE_BUDGET_PER_MIB
            );
        }
    }

    #[test]
    fn recovers_from_errors() {
        let parsed = parse(CodeLang::JavaScript, "function ( {").expect("parses");
        assert!(parsed.has_errors);
    }

    #[test]
    fn walk_node_stays_below_node() {
        let parsed = parse(CodeLang::JavaScript, "f(a); g(b);").expect("parses");
        let root = parsed.tree.root_node();
        let first = root.named_child(0).expect("stmt");
        let mut seen = Vec::new();
        walk_node(first, |n| {
            if n.kind() == "identifier" {
                seen.push(text(n, "f(a); g(b);").to_string());
            }
            true
        });
        assert_eq!(seen, ["f", "a"]);
    }

    #[test]
    fn nodes_match_the_cursor_walk_and_prune_like_it() {
        let src = "f(a, 'x'); class C { m() { return g(b); } }\n// note\nh();";
        let p = parse(CodeLang::JavaScript, src).expect("parses");
        let nodes = Nodes::collect(&p.tree).expect("shallow");
        let mut by_cursor = Vec::new();
        walk_preorder(&p.tree, |n| {
            by_cursor.push(n.id());
            true
        });
        let listed: Vec<usize> = nodes.all().iter().map(Node::id).collect();
        assert_eq!(listed, by_cursor);
        // Pruning skips exactly the subtree.
        let prune = |n: Node<'_>| !matches!(n.kind(), "string" | "class_declaration");
        let mut a = Vec::new();
        walk_preorder(&p.tree, |n| {
            a.push(n.id());
            prune(n)
        });
        let mut b = Vec::new();
        nodes.walk(|n| {
            b.push(n.id());
            prune(n)
        });
        assert_eq!(a, b);
        for &n in nodes.all() {
            let mut below = Vec::new();
            walk_node(n, |x| {
                below.push(x.id());
                true
            });
            let sub: Vec<usize> = nodes.subtree(n).iter().map(Node::id).collect();
            assert_eq!(sub, below, "{}", n.kind());
        }
    }

    #[test]
    fn field_ids_match_field_names() {
        static FUNCTION: Field = Field::new("function");
        static NOPE: Field = Field::new("no_such_field");
        for (lang, src) in [
            (CodeLang::TypeScript, "f(1);"),
            (CodeLang::Tsx, "f(1);"),
            (CodeLang::JavaScript, "f(1);"),
            (CodeLang::Python, "f(1)\n"),
            (CodeLang::Go, "package p\nvar x = f(1)\n"),
        ] {
            let p = parse(lang, src).expect("parses");
            let nodes = Nodes::collect(&p.tree).expect("shallow");
            let call = nodes
                .all()
                .iter()
                .find(|n| matches!(n.kind(), "call_expression" | "call"))
                .copied()
                .expect("call");
            assert_eq!(FUNCTION.of(call), call.child_by_field_name("function"));
            assert!(FUNCTION.of(call).is_some(), "{lang:?}");
            assert_eq!(NOPE.of(call), None);
        }
    }
}
