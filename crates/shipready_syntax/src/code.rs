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

/// Whether the tree is nested deeper than `limit` (one iterative pass; stops at the first
/// node past the limit).
pub fn deeper_than(tree: &Tree, limit: u32) -> bool {
    let mut cursor = tree.walk();
    loop {
        if cursor.depth() > limit {
            return true;
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return false;
            }
        }
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
    parse_impl(lang, text, budget_for(text.len()), None).ok()
}

/// Parses `text`, giving up with [`ParseFailure::Timeout`] once `budget` has passed (checked
/// by tree-sitter's progress callback every few hundred parser operations), and refusing a
/// tree deeper than [`MAX_TREE_DEPTH`] with [`ParseFailure::TooDeep`].
pub fn parse_within(lang: CodeLang, text: &str, budget: Duration) -> Result<Parsed, ParseFailure> {
    parse_impl(lang, text, budget, Some(MAX_TREE_DEPTH))
}

fn parse_impl(
    lang: CodeLang,
    text: &str,
    budget: Duration,
    max_depth: Option<u32>,
) -> Result<Parsed, ParseFailure> {
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
        if max_depth.is_some_and(|limit| deeper_than(&tree, limit)) {
            return Err(ParseFailure::TooDeep);
        }
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
        assert!(parse(CodeLang::JavaScript, &deep).is_some());
        let ok = "x = ".to_string() + &"(".repeat(100) + "1" + &")".repeat(100) + ";";
        assert!(parse_within(CodeLang::JavaScript, &ok, Duration::from_mins(1)).is_ok());
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
}
