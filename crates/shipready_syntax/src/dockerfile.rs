//! Dockerfile instructions with byte ranges.
//!
//! Handles parser directives (`# escape=` with `\` or a backtick), line continuations (comment
//! and blank lines inside a continuation are dropped, as Docker does), heredocs (`RUN <<EOF`,
//! `<<-EOF`, quoted delimiters, several per instruction) and JSON-form arguments (kept as
//! written). Line-based and linear; never fails.

/// One instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// Upper-case keyword (`FROM`, `RUN`...).
    pub keyword: String,
    /// Arguments as written: continuation lines joined with a space; heredoc bodies follow
    /// on their own lines, terminator included.
    pub args: String,
    /// Byte offset of the keyword.
    pub start: usize,
    /// Byte offset of the end of the instruction's last line (newline excluded).
    pub end: usize,
    /// 1-based line of the keyword.
    pub line: u32,
}

/// Splits `text` into lines: (start offset, line without its line break).
fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let body = body.strip_suffix('\r').unwrap_or(body);
        out.push((start, body));
        start += line.len();
    }
    out
}

/// The escape character from the parser directives at the top of the file.
fn escape_char(lines: &[(usize, &str)]) -> char {
    let mut escape = '\\';
    for (_, line) in lines {
        let Some(rest) = line.trim_start().strip_prefix('#') else {
            break;
        };
        let Some((name, value)) = rest.split_once('=') else {
            break;
        };
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() || name.contains(char::is_whitespace) {
            break;
        }
        if name == "escape" {
            match value.trim() {
                "`" => escape = '`',
                "\\" => escape = '\\',
                _ => {}
            }
        }
    }
    escape
}

/// Heredoc delimiters opened in `args` (`<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'`), with whether
/// leading tabs are stripped from the body.
fn heredocs(args: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut rest = args;
    while let Some(i) = rest.find("<<") {
        // Only a word that starts with `<<` opens a heredoc (`$((1<<2))` does not).
        let word_start = i == 0 || rest[..i].ends_with(char::is_whitespace);
        rest = &rest[i + 2..];
        if !word_start {
            continue;
        }
        let (strip, r) = match rest.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let (quoted, r) = match r.chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), &r[1..]),
            _ => (None, r),
        };
        let word: String = r
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if word.is_empty() {
            continue;
        }
        if let Some(q) = quoted
            && !r[word.len()..].starts_with(q)
        {
            continue;
        }
        rest = &r[word.len()..];
        out.push((word, strip));
    }
    out
}

/// Parses a Dockerfile into its instructions, in order.
pub fn parse(text: &str) -> Vec<Instruction> {
    let lines = lines(text);
    let escape = escape_char(&lines);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (line_start, line) = lines[i];
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            i += 1;
            continue;
        }
        let start = line_start + (line.len() - trimmed.len());
        let first_line = i;
        let mut end = line_start + line.len();
        // Join continuation lines.
        let mut joined = String::new();
        let mut current = trimmed;
        loop {
            let body = current.trim_end();
            match body.strip_suffix(escape) {
                Some(head) if i + 1 < lines.len() => {
                    joined.push_str(head.trim_end());
                    joined.push(' ');
                    i += 1;
                    // Comment and blank lines inside a continuation are dropped.
                    while i + 1 < lines.len() {
                        let t = lines[i].1.trim_start();
                        if t.starts_with('#') || t.is_empty() {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    let (s, l) = lines[i];
                    end = s + l.len();
                    let t = l.trim_start();
                    if t.starts_with('#') || t.is_empty() {
                        break;
                    }
                    current = t;
                }
                Some(head) => {
                    joined.push_str(head.trim_end());
                    break;
                }
                None => {
                    joined.push_str(body);
                    break;
                }
            }
        }
        i += 1;
        let joined = joined.trim_end().to_string();
        let (keyword, args) = match joined.split_once(char::is_whitespace) {
            Some((k, a)) => (k, a.trim_start()),
            None => (joined.as_str(), ""),
        };
        let mut args = args.to_string();
        // Heredoc bodies follow the instruction line(s).
        let opens = if matches!(
            keyword.to_ascii_uppercase().as_str(),
            "RUN" | "COPY" | "ADD"
        ) {
            heredocs(&args)
        } else {
            Vec::new()
        };
        for (word, strip) in opens {
            while i < lines.len() {
                let (s, l) = lines[i];
                i += 1;
                end = s + l.len();
                args.push('\n');
                args.push_str(l);
                let candidate = if strip { l.trim_start_matches('\t') } else { l };
                if candidate == word {
                    break;
                }
            }
        }
        out.push(Instruction {
            keyword: keyword.to_ascii_uppercase(),
            args,
            start,
            end,
            line: first_line as u32 + 1,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_continuations_and_comments() {
        let text = "# syntax=docker/dockerfile:1\n\
                    FROM --platform=$BUILDPLATFORM node:20-alpine AS build\n\
                    \n\
                    # install\n\
                    RUN apt-get update && \\\n\
                    \x20   # a comment inside\n\
                    \x20   apt-get install -y curl \\\n\
                    \n\
                    \x20   && rm -rf /var/lib/apt/lists/*\n\
                    CMD [\"node\", \"dist/index.js\"]\n\
                    user app\n";
        let ins = parse(text);
        let kw: Vec<_> = ins.iter().map(|i| i.keyword.as_str()).collect();
        assert_eq!(kw, ["FROM", "RUN", "CMD", "USER"]);
        assert_eq!(
            ins[0].args,
            "--platform=$BUILDPLATFORM node:20-alpine AS build"
        );
        assert_eq!(ins[0].line, 2);
        assert_eq!(
            ins[1].args,
            "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"
        );
        assert_eq!(ins[1].line, 5);
        assert!(text[ins[1].start..ins[1].end].starts_with("RUN apt-get"));
        assert!(text[ins[1].start..ins[1].end].ends_with("lists/*"));
        assert_eq!(ins[2].args, "[\"node\", \"dist/index.js\"]");
        assert_eq!(ins[3].args, "app");
        assert_eq!(&text[ins[3].start..ins[3].end], "user app");
    }

    #[test]
    fn escape_directive_backtick() {
        let text = "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir c:\\ `\n    && echo hi\nCOPY a.txt c:\\app\\\n";
        let ins = parse(text);
        assert_eq!(ins.len(), 3);
        assert_eq!(ins[1].args, "dir c:\\ && echo hi");
        assert_eq!(ins[2].args, "a.txt c:\\app\\");
    }

    #[test]
    fn heredocs_are_one_instruction() {
        let text = "FROM alpine\nRUN <<EOF\napk add curl\nUSER root\nEOF\nCOPY <<-\"A\" <<B /x/\n\tone\n\tA\ntwo\nB\nUSER app\n";
        let ins = parse(text);
        let kw: Vec<_> = ins.iter().map(|i| i.keyword.as_str()).collect();
        assert_eq!(kw, ["FROM", "RUN", "COPY", "USER"]);
        assert_eq!(ins[1].args, "<<EOF\napk add curl\nUSER root\nEOF");
        assert_eq!(
            &text[ins[1].start..ins[1].end],
            "RUN <<EOF\napk add curl\nUSER root\nEOF"
        );
        assert_eq!(ins[3].line, 11);
    }

    #[test]
    fn odd_input_never_fails() {
        assert!(parse("").is_empty());
        assert!(parse("\n\n# only\n").is_empty());
        let ins = parse("RUN echo \\");
        assert_eq!(ins[0].args, "echo");
        let ins = parse("RUN echo \\\n# trailing comment\n");
        assert_eq!(ins.len(), 1);
        let ins = parse("RUN <<EOF\nno terminator");
        assert_eq!(ins.len(), 1);
        let ins = parse("FROM\r\nRUN  x \r\n");
        assert_eq!(ins[0].keyword, "FROM");
        assert_eq!(ins[0].args, "");
        assert_eq!(ins[1].args, "x");
        let ins = parse("RUN echo $((1<<2)) a<<b\nUSER a\n");
        assert_eq!(ins.len(), 2);
        let ins = parse("  ENV A=ü \\\n  B=2\n");
        assert_eq!(ins[0].args, "A=ü B=2");
    }
}
