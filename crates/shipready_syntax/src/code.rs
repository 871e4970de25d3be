//! Tree-sitter parsing of application code, one parser per language and thread.

use std::cell::RefCell;

use tree_sitter::{Language, Node, Parser, Tree};

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

/// Parses `text`. Returns `None` only when tree-sitter gives up (it does not on valid UTF-8
/// input of any shape short of its timeout, which is not set).
pub fn parse(lang: CodeLang, text: &str) -> Option<Parsed> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let slot = &mut parsers[lang.index()];
        if slot.is_none() {
            let mut p = Parser::new();
            p.set_language(&lang.language()).ok()?;
            *slot = Some(p);
        }
        let parser = slot.as_mut()?;
        let tree = parser.parse(text, None)?;
        let has_errors = tree.root_node().has_error();
        Some(Parsed { tree, has_errors })
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

/// Same as [`walk_preorder`], below one node.
pub fn walk_node(node: Node<'_>, mut f: impl FnMut(Node<'_>) -> bool) {
    let mut cursor = node.walk();
    let start_depth = cursor.depth();
    loop {
        let descend = f(cursor.node());
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.depth() == start_depth {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() || cursor.depth() == start_depth {
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
