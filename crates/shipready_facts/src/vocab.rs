//! Names the extractors of every language share.

/// Request parameters that carry a page size (`?limit=`, `page_size`, `perPage`...).
pub(crate) const PAGE_SIZE_PARAMS: &[&str] = &[
    "limit",
    "page_size",
    "pageSize",
    "per_page",
    "perPage",
    "size",
    "take",
    "max_results",
];
