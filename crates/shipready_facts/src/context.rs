//! What an extractor knows about the file it reads.

use shipready_model::{FileId, FileRole, Lang, Span};
use tree_sitter::Node;

/// One file being extracted.
#[derive(Debug, Clone, Copy)]
pub struct FileCtx<'a> {
    /// Its id.
    pub id: FileId,
    /// Repository-relative path.
    pub path: &'a str,
    /// Language.
    pub lang: Lang,
    /// Role from the path.
    pub role: FileRole,
    /// The text.
    pub text: &'a str,
}

impl<'a> FileCtx<'a> {
    /// The span of a syntax node.
    pub fn span(&self, node: Node<'_>) -> Span {
        Span::new(self.id, node.start_byte(), node.end_byte())
    }

    /// A span from byte offsets.
    pub fn span_of(&self, start: usize, end: usize) -> Span {
        Span::new(self.id, start, end)
    }

    /// The source text of a node.
    pub fn text_of(&self, node: Node<'_>) -> &'a str {
        self.text.get(node.byte_range()).unwrap_or("")
    }
}
