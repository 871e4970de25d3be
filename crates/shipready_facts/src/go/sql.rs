//! SQL executions (how the text was built) and URL patterns of outbound calls.

use shipready_model::{Span, SqlBuild, SqlExec};
use tree_sitter::Node;

use super::util::{self, call_args, named_children, selector, strip_parens};
use super::{Ex, Pkg};

/// One assignment to a name in a function: the statement, the value, and whether it is `+=`.
struct Assign<'t> {
    stmt: Node<'t>,
    value: Option<Node<'t>>,
    append: bool,
}

/// What the SQL argument showed.
struct SqlText {
    build: SqlBuild,
    built_at: Option<Span>,
    text: Option<String>,
    dynamic: Vec<String>,
    constant: bool,
}

impl<'t> Ex<'_, 't> {
    /// Assignments to `name` in the current function before byte `before`, in order.
    fn assignments(&self, name: &str, before: usize) -> Vec<Assign<'t>> {
        let mut out = Vec::new();
        let Some(func) = self.cur_fn_node else {
            return out;
        };
        util::walk(func, |n| {
            if n.start_byte() >= before {
                return false;
            }
            match n.kind() {
                "short_var_declaration" | "assignment_statement" => {
                    let lefts = n
                        .child_by_field_name("left")
                        .map(named_children)
                        .unwrap_or_default();
                    let rights = n
                        .child_by_field_name("right")
                        .map(named_children)
                        .unwrap_or_default();
                    let op = n
                        .child_by_field_name("operator")
                        .map_or("=", |o| self.text(o));
                    for (i, l) in lefts.iter().enumerate() {
                        if self.text(*l) != name {
                            continue;
                        }
                        let value = if rights.len() == lefts.len() {
                            rights.get(i).copied()
                        } else if i == 0 {
                            rights.first().copied()
                        } else {
                            None
                        };
                        out.push(Assign {
                            stmt: n,
                            value,
                            append: op == "+=",
                        });
                    }
                }
                "var_spec" => {
                    let mut cur = n.walk();
                    let names: Vec<Node<'t>> = n.children_by_field_name("name", &mut cur).collect();
                    let values = n
                        .child_by_field_name("value")
                        .map(named_children)
                        .unwrap_or_default();
                    for (i, l) in names.iter().enumerate() {
                        if self.text(*l) == name {
                            out.push(Assign {
                                stmt: n,
                                value: values.get(i).copied(),
                                append: false,
                            });
                        }
                    }
                }
                "range_clause" => {
                    if let Some(l) = n.child_by_field_name("left")
                        && named_children(l).iter().any(|x| self.text(*x) == name)
                    {
                        out.push(Assign {
                            stmt: n,
                            value: None,
                            append: false,
                        });
                    }
                }
                _ => {}
            }
            true
        });
        out
    }

    /// Whether `name` is a parameter of the current function, and its type text.
    fn param_type(&self, name: &str) -> Option<String> {
        let func = self.cur_fn_node?;
        let params = func.child_by_field_name("parameters")?;
        for p in named_children(params) {
            let mut cur = p.walk();
            if p.children_by_field_name("name", &mut cur)
                .any(|n| self.text(n) == name)
            {
                return Some(
                    p.child_by_field_name("type")
                        .map_or("", |t| self.text(t))
                        .to_string(),
                );
            }
        }
        None
    }

    /// Whether an identifier names a map literal whose values are all literals.
    fn is_literal_map(&self, name: &str, before: usize) -> bool {
        let check = |v: Node<'_>| {
            let v = strip_parens(v);
            if v.kind() != "composite_literal" {
                return false;
            }
            let is_map = v
                .child_by_field_name("type")
                .is_some_and(|t| t.kind() == "map_type");
            if !is_map {
                return false;
            }
            self.keyed_fields(v)
                .iter()
                .all(|(_, val)| util::literal_value(*val, self.src).is_some())
        };
        let local = self.assignments(name, before);
        if let Some(a) = local.last() {
            return local.len() == 1 && a.value.is_some_and(check);
        }
        self.global_values.get(name).is_some_and(|v| check(*v))
    }

    /// Whether an expression cannot carry attacker text into SQL: literals, constants,
    /// numbers, values looked up in (or checked against) a literal map, variables only ever
    /// assigned literals.
    fn is_constant(&self, node: Node<'t>, at: usize) -> bool {
        let n = strip_parens(node);
        if util::literal_value(n, self.src).is_some() || n.kind() == "nil" {
            return true;
        }
        match n.kind() {
            "identifier" => {
                let name = self.text(n);
                if self.const_names.contains(name) {
                    return true;
                }
                if let Some(ty) = self.param_type(name) {
                    return is_numeric_type(&ty);
                }
                if self.checked_against_map(name, at) {
                    return true;
                }
                let assigns = self.assignments(name, at);
                !assigns.is_empty()
                    && assigns.iter().all(|a| {
                        a.value.is_some_and(|v| {
                            let v = strip_parens(v);
                            util::literal_value(v, self.src).is_some()
                                || (v.kind() == "index_expression"
                                    && v.child_by_field_name("operand").is_some_and(|o| {
                                        o.kind() == "identifier"
                                            && self.is_literal_map(self.text(o), at)
                                    }))
                        })
                    })
            }
            "call_expression" => {
                let f = n
                    .child_by_field_name("function")
                    .map_or("", |f| self.text(f));
                matches!(
                    f,
                    "strconv.Itoa"
                        | "strconv.FormatInt"
                        | "strconv.FormatUint"
                        | "strconv.FormatFloat"
                        | "strconv.FormatBool"
                        | "len"
                        | "pq.QuoteIdentifier"
                        | "pq.QuoteLiteral"
                )
            }
            "binary_expression" => {
                let l = n.child_by_field_name("left");
                let r = n.child_by_field_name("right");
                l.is_some_and(|l| {
                    util::literal_value(l, self.src).is_some()
                        || self.const_names.contains(self.text(l))
                }) && r.is_some_and(|r| {
                    util::literal_value(r, self.src).is_some()
                        || self.const_names.contains(self.text(r))
                })
            }
            _ => false,
        }
    }

    /// `if _, ok := allowed[name]; !ok { return }` / `if !allowed[name] { return }` earlier in
    /// the function, with `allowed` a literal map.
    fn checked_against_map(&self, name: &str, before: usize) -> bool {
        let Some(func) = self.cur_fn_node else {
            return false;
        };
        let mut found = false;
        util::walk(func, |n| {
            if found || n.start_byte() >= before {
                return false;
            }
            if n.kind() == "if_statement" {
                let mut idx_ok = false;
                for field in ["initializer", "condition"] {
                    if let Some(part) = n.child_by_field_name(field) {
                        util::walk(part, |x| {
                            if x.kind() == "index_expression"
                                && x.child_by_field_name("index")
                                    .is_some_and(|i| self.text(i) == name)
                                && x.child_by_field_name("operand").is_some_and(|o| {
                                    o.kind() == "identifier"
                                        && self.is_literal_map(self.text(o), before)
                                })
                            {
                                idx_ok = true;
                            }
                            true
                        });
                    }
                }
                let returns = n.child_by_field_name("consequence").is_some_and(|c| {
                    let mut r = false;
                    util::walk(c, |x| {
                        if x.kind() == "return_statement" {
                            r = true;
                        }
                        true
                    });
                    r
                });
                if idx_ok && returns {
                    found = true;
                }
            }
            true
        });
        found
    }

    /// How a SQL argument was built, following one assignment when it is an identifier.
    fn sql_text(&self, node: Node<'t>, at: usize) -> SqlText {
        let n = strip_parens(node);
        if n.kind() == "identifier" && !self.consts.contains_key(self.text(n)) {
            let assigns = self.assignments(self.text(n), at);
            let Some(base_idx) = assigns.iter().rposition(|a| !a.append) else {
                return unknown();
            };
            let Some(base) = assigns.get(base_idx) else {
                return unknown();
            };
            let Some(value) = base.value else {
                return unknown();
            };
            let mut st = self.sql_expr(value, at);
            st.built_at = Some(self.span(base.stmt));
            for a in assigns.iter().skip(base_idx + 1) {
                let Some(v) = a.value else { continue };
                let more = self.sql_expr(v, at);
                if st.build == SqlBuild::Literal {
                    st.build = SqlBuild::Concatenated;
                }
                if more.build != SqlBuild::Literal {
                    st.constant &= more.constant;
                    st.dynamic.extend(more.dynamic);
                    if more.build == SqlBuild::Unknown {
                        st.dynamic.push(self.text(v).to_string());
                        st.constant &= self.is_constant(v, at);
                    }
                }
            }
            return st;
        }
        self.sql_expr(n, at)
    }

    fn sql_expr(&self, node: Node<'t>, at: usize) -> SqlText {
        let n = strip_parens(node);
        if let Some(s) = self.str_arg(n) {
            return SqlText {
                build: SqlBuild::Literal,
                built_at: None,
                text: Some(s),
                dynamic: Vec::new(),
                constant: true,
            };
        }
        match n.kind() {
            "call_expression" => {
                let Some(f) = n.child_by_field_name("function") else {
                    return unknown();
                };
                let is_sprintf = selector(f, self.src).is_some_and(|(op, field)| {
                    self.pkg_of(op) == Some(Pkg::Fmt) && field == "Sprintf"
                });
                if !is_sprintf {
                    return unknown();
                }
                let args = call_args(n);
                let fmt = args.first().and_then(|a| self.str_arg(*a));
                let verbs = fmt.as_deref().map(util::format_verbs).unwrap_or_default();
                let mut dynamic = Vec::new();
                let mut constant = fmt.is_some();
                for (i, a) in args.iter().enumerate().skip(1) {
                    if util::literal_value(*a, self.src).is_some() {
                        continue;
                    }
                    dynamic.push(self.text(*a).to_string());
                    let numeric = verbs.get(i - 1).is_some_and(|v| util::is_numeric_verb(*v));
                    if !numeric && !self.is_constant(*a, at) {
                        constant = false;
                    }
                }
                SqlText {
                    build: SqlBuild::Formatted,
                    built_at: None,
                    text: fmt,
                    dynamic,
                    constant,
                }
            }
            "binary_expression" => {
                let mut parts = Vec::new();
                self.flatten_plus(n, &mut parts);
                let mut text = String::new();
                let mut dynamic = Vec::new();
                let mut constant = true;
                for p in parts {
                    if let Some(s) = self.str_arg(p) {
                        text.push_str(&s);
                    } else {
                        text.push_str("{}");
                        dynamic.push(self.text(p).to_string());
                        constant &= self.is_constant(p, at);
                    }
                }
                SqlText {
                    build: if dynamic.is_empty() {
                        SqlBuild::Literal
                    } else {
                        SqlBuild::Concatenated
                    },
                    built_at: None,
                    text: Some(text),
                    dynamic,
                    constant,
                }
            }
            _ => unknown(),
        }
    }

    /// Operands of a `+` chain, left to right (explicit stack, no recursion).
    fn flatten_plus(&self, node: Node<'t>, out: &mut Vec<Node<'t>>) {
        let mut stack = vec![node];
        let mut guard = 0;
        while let Some(n) = stack.pop() {
            guard += 1;
            if guard > 512 {
                break;
            }
            let n = strip_parens(n);
            let is_plus = n.kind() == "binary_expression"
                && n.child_by_field_name("operator")
                    .is_some_and(|o| self.text(o) == "+");
            if is_plus {
                if let Some(r) = n.child_by_field_name("right") {
                    stack.push(r);
                }
                if let Some(l) = n.child_by_field_name("left") {
                    stack.push(l);
                }
            } else {
                out.push(n);
            }
        }
    }

    /// Records a SQL execution when the receiver is a SQL handle, or when the text is
    /// visible and reads as SQL.
    pub(super) fn sql_exec(
        &mut self,
        call: Node<'t>,
        sql_idx: usize,
        known: bool,
        gorm_where: bool,
    ) {
        let args = call_args(call);
        let Some(arg) = args.get(sql_idx).copied() else {
            return;
        };
        if gorm_where {
            let a = strip_parens(arg);
            if matches!(a.kind(), "composite_literal" | "unary_expression") {
                return;
            }
        }
        let at = call.start_byte();
        let st = self.sql_text(arg, at);
        let looks = st.text.as_deref().is_some_and(|t| {
            if gorm_where {
                util::looks_like_condition(t)
            } else {
                util::looks_like_sql(t)
            }
        });
        if !known && !looks {
            return;
        }
        let api = call
            .child_by_field_name("function")
            .map(|f| self.text(f).to_string())
            .unwrap_or_default();
        self.out.sql_execs.push(SqlExec {
            span: self.span(call),
            api,
            build: st.build,
            built_at: st.built_at,
            parts_constant: st.build != SqlBuild::Unknown && (st.dynamic.is_empty() || st.constant),
            dynamic_parts: st.dynamic,
            has_params: args.len() > sql_idx + 1,
            looks_like_sql: looks,
        });
    }

    /// URL text and pattern of an outbound call argument.
    pub(super) fn url_info(&self, node: Node<'t>) -> (String, Option<String>) {
        let n = strip_parens(node);
        let text = self.text(n).to_string();
        let at = n.start_byte();
        let mut value = n;
        if n.kind() == "identifier" && !self.consts.contains_key(self.text(n)) {
            let assigns = self.assignments(self.text(n), at);
            if let Some(v) = assigns.last().filter(|a| !a.append).and_then(|a| a.value) {
                value = strip_parens(v);
            }
        }
        let st = self.sql_expr(value, at);
        let pattern = match st.build {
            SqlBuild::Literal => st.text,
            SqlBuild::Formatted => st.text.map(|t| util::format_pattern(&t)),
            SqlBuild::Concatenated => st.text,
            _ => None,
        }
        .filter(|p| {
            p.starts_with('/')
                || p.starts_with("http://")
                || p.starts_with("https://")
                // A base URL in a variable followed by a literal path (`base + "/api/x/" + id`).
                || p.strip_prefix("{}/").is_some_and(|rest| {
                    rest.split('/')
                        .any(|seg| !seg.is_empty() && !seg.contains('{'))
                })
        });
        (text, pattern)
    }
}

fn unknown() -> SqlText {
    SqlText {
        build: SqlBuild::Unknown,
        built_at: None,
        text: None,
        dynamic: Vec::new(),
        constant: false,
    }
}

fn is_numeric_type(ty: &str) -> bool {
    matches!(
        ty,
        "int"
            | "int8"
            | "int16"
            | "int32"
            | "int64"
            | "uint"
            | "uint8"
            | "uint16"
            | "uint32"
            | "uint64"
            | "float32"
            | "float64"
            | "bool"
    )
}
