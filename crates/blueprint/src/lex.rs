//! Lexing one piece of LaTeX text for the scanner ([`crate::latex`]): comments, control words,
//! braced groups, `[…]` options and macro arguments, and `#1` substitution.
//!
//! Every lookup is bounded so that scanning stays linear on hostile input: the braces are
//! matched once per text (a `{` that never closes costs one lookup, not a scan to the end of
//! the file each time), and the places where a short argument must stop (a blank line,
//! `\begin{`, `\end{`) are listed once and found by binary search.

use theorist_leansrc::utf8_len;

/// The longest `[…]` optional argument read: titles and options are short, and an unclosed
/// `[` must not make every later one scan to the end of the file.
const MAX_OPTIONAL: usize = 4096;

/// One text with its braces matched.
pub struct Text<'a> {
    pub b: &'a [u8],
    s: &'a str,
    /// `(open, close)` for every matched `{…}`, sorted by `open`.
    pairs: Vec<(usize, usize)>,
    /// Where a blank line ends (the second `\n` of `\n<spaces>\n`), ascending.
    blank_lines: Vec<usize>,
    /// Where `\begin{` or `\end{` starts, ascending.
    environments: Vec<usize>,
}

impl<'a> Text<'a> {
    pub fn new(s: &'a str) -> Text<'a> {
        let b = s.as_bytes();
        let mut pairs = Vec::new();
        let mut open = Vec::new();
        let mut blank_lines = Vec::new();
        let mut environments = Vec::new();
        let mut last_newline: Option<usize> = None;
        let mut k = 0;
        while k < b.len() {
            match b[k] {
                b'\\' => {
                    if b[k + 1..].starts_with(b"begin{") || b[k + 1..].starts_with(b"end{") {
                        environments.push(k);
                    }
                    last_newline = None;
                    k += 1;
                }
                b'{' => {
                    open.push(k);
                    last_newline = None;
                }
                b'}' => {
                    if let Some(o) = open.pop() {
                        pairs.push((o, k));
                    }
                    last_newline = None;
                }
                b'\n' => {
                    if last_newline.is_some() {
                        blank_lines.push(k);
                    }
                    last_newline = Some(k);
                }
                b' ' | b'\t' | b'\r' => {}
                _ => last_newline = None,
            }
            k += 1;
        }
        pairs.sort_unstable();
        Text {
            b,
            s,
            pairs,
            blank_lines,
            environments,
        }
    }

    /// The position of the `}` closing the `{` at `open`.
    fn close_of(&self, open: usize) -> Option<usize> {
        let k = self.pairs.partition_point(|p| p.0 < open);
        self.pairs.get(k).filter(|p| p.0 == open).map(|p| p.1)
    }

    /// Whether the `\n` at `k` ends a blank line (a paragraph break).
    pub fn ends_blank_line(&self, k: usize) -> bool {
        self.blank_lines.binary_search(&k).is_ok()
    }

    fn any_in(list: &[usize], from: usize, to: usize) -> bool {
        let k = list.partition_point(|&p| p < from);
        list.get(k).is_some_and(|&p| p < to)
    }

    /// Where `needle` next occurs at or after byte `from` (a character boundary).
    pub fn find(&self, from: usize, needle: &str) -> Option<usize> {
        self.s[from..].find(needle).map(|p| from + p)
    }

    /// The text between `from` and `to` (bytes), valid UTF-8 or not.
    fn slice(&self, from: usize, to: usize) -> String {
        String::from_utf8_lossy(&self.b[from..to]).into_owned()
    }

    pub fn skip_ws(&self, mut i: usize) -> usize {
        while i < self.b.len() && self.b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    }

    /// A braced group at `i` (after spaces): `Ok(Some((content, end)))`, `Ok(None)` when no
    /// group starts there, `Err(())` when its braces never close.
    pub fn group(&self, i: usize) -> Result<Option<(String, usize)>, ()> {
        let i = self.skip_ws(i);
        if self.b.get(i) != Some(&b'{') {
            return Ok(None);
        }
        match self.close_of(i) {
            Some(c) => Ok(Some((self.slice(i + 1, c), c + 1))),
            None => Err(()),
        }
    }

    /// A group for a short argument (a label, a list of labels): it may not run over a blank
    /// line or into `\begin`/`\end`, so one missing `}` costs one command, not the rest of the
    /// file.
    pub fn short_group(&self, i: usize) -> Option<(String, usize)> {
        let i = self.skip_ws(i);
        if self.b.get(i) != Some(&b'{') {
            return None;
        }
        let c = self.close_of(i)?;
        if Self::any_in(&self.blank_lines, i, c) || Self::any_in(&self.environments, i, c) {
            return None;
        }
        Some((self.slice(i + 1, c), c + 1))
    }

    /// `[…]` at `i` (after spaces), with nested braces respected; it ends at a blank line or at
    /// `\begin`/`\end`.
    pub fn optional(&self, i: usize) -> Option<(String, usize)> {
        let i = self.skip_ws(i);
        if self.b.get(i) != Some(&b'[') {
            return None;
        }
        let b = self.b;
        // It cannot run into an environment either.
        let next_environment = {
            let k = self.environments.partition_point(|&p| p < i);
            self.environments.get(k).copied().unwrap_or(b.len())
        };
        let stop = b.len().min(i + MAX_OPTIONAL).min(next_environment);
        let mut depth = 0usize;
        let mut k = i + 1;
        while k < stop {
            match b[k] {
                b'\\' => k += 1,
                b'{' => depth += 1,
                b'}' => depth = depth.saturating_sub(1),
                b']' if depth == 0 => return Some((self.slice(i + 1, k), k + 1)),
                b'\n' if self.ends_blank_line(k) => return None,
                _ => {}
            }
            k += 1;
        }
        None
    }

    /// One macro argument: a braced group, a control sequence, or one character.
    pub fn macro_arg(&self, i: usize) -> Option<(String, usize)> {
        let i = self.skip_ws(i);
        let b = self.b;
        match b.get(i)? {
            b'{' => self.group(i).ok().flatten(),
            b'\\' => {
                let (name, end) = control_word(b, i + 1);
                let end = if name.is_empty() {
                    (i + 2).min(b.len())
                } else {
                    end
                };
                Some((self.slice(i, end), end))
            }
            &c => {
                let end = (i + utf8_len(c)).min(b.len());
                Some((self.slice(i, end), end))
            }
        }
    }
}

/// Marks a line end that a comment ate: TeX's `%` removes the rest of the line with its end,
/// so a comment line is no paragraph break; the marker still counts as a line for places.
pub const EATEN_NEWLINE: u8 = 0x0c;

/// Commands whose braced argument plasTeX reads as a URL, with `%`, `#`, `~` and `&` as plain
/// characters (plasTeX 3.1's `url` argument type, in its `url` and `hyperref` packages): a
/// `%` there starts no comment.
const URL_COMMANDS: &[&[u8]] = &[b"url", b"href", b"nolinkurl", b"hyperbaseurl"];

/// Text with `%` comments removed (an escaped `\%` stays, and so does a `%` in a URL argument,
/// see [`URL_COMMANDS`]) and each line end they ate replaced by [`EATEN_NEWLINE`], so lines
/// keep their places. Form feeds already there become spaces.
pub fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let lines: Vec<&str> = text.split('\n').collect();
    // Braces open in a URL argument (it may run over a line end).
    let mut url_depth = 0usize;
    for (n, line) in lines.iter().enumerate() {
        let b = line.as_bytes();
        let mut backslashes = 0;
        let mut cut = None;
        let mut k = 0;
        while k < b.len() {
            let c = b[k];
            if url_depth > 0 {
                match c {
                    b'{' => url_depth += 1,
                    b'}' => url_depth -= 1,
                    _ => {}
                }
                k += 1;
                continue;
            }
            if c == b'%' && backslashes % 2 == 0 {
                cut = Some(k);
                break;
            }
            if c == b'\\' && backslashes % 2 == 0 {
                if let Some(open) = url_argument(b, k + 1) {
                    url_depth = 1;
                    backslashes = 0;
                    k = open + 1;
                    continue;
                }
            }
            backslashes = if c == b'\\' { backslashes + 1 } else { 0 };
            k += 1;
        }
        let kept = &line[..cut.unwrap_or(line.len())];
        out.extend(kept.chars().map(|c| if c == '\u{c}' { ' ' } else { c }));
        if n + 1 < lines.len() {
            out.push(if cut.is_some() {
                EATEN_NEWLINE as char
            } else {
                '\n'
            });
        }
    }
    out
}

/// When `b[at..]` is the name of one of [`URL_COMMANDS`] and then (after spaces) `{`, where
/// that `{` is.
fn url_argument(b: &[u8], at: usize) -> Option<usize> {
    let rest = &b[at..];
    let name = URL_COMMANDS.iter().find(|n| {
        rest.starts_with(n) && rest.get(n.len()).is_none_or(|c| !c.is_ascii_alphabetic())
    })?;
    let mut j = at + name.len();
    while b.get(j).is_some_and(|c| *c == b' ' || *c == b'\t') {
        j += 1;
    }
    (b.get(j) == Some(&b'{')).then_some(j)
}

/// The control word starting at `i` (just after the backslash) and where it ends. A control
/// symbol (`\\`, `\{`) gives an empty name and the position after it.
pub fn control_word(b: &[u8], i: usize) -> (&str, usize) {
    let mut j = i;
    while j < b.len() && (b[j].is_ascii_alphabetic() || b[j] == b'@') {
        j += 1;
    }
    if j == i {
        // A control symbol (`\%`, `\≥`): one whole character, never part of one.
        let mut end = (i + 1).min(b.len());
        while end < b.len() && b[end] & 0xC0 == 0x80 {
            end += 1;
        }
        return ("", end);
    }
    // ASCII letters only, so always UTF-8.
    (std::str::from_utf8(&b[i..j]).unwrap_or(""), j)
}

/// `body` with `#1`…`#9` replaced by `args` (`##` stays a single `#`).
pub fn substitute(body: &str, args: &[String]) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '#' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some(d) if d.is_ascii_digit() => {
                let k = d.to_digit(10).unwrap_or(0) as usize;
                chars.next();
                if let Some(a) = k.checked_sub(1).and_then(|k| args.get(k)) {
                    out.push_str(a);
                }
            }
            Some('#') => {
                chars.next();
                out.push('#');
            }
            _ => out.push('#'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_match_braces_once_and_short_groups_stop_at_paragraphs() {
        let t = Text::new("{a{b}\\}c} {x\n\n} {y\\begin{z}} {open");
        assert_eq!(t.group(0), Ok(Some(("a{b}\\}c".to_string(), 9))));
        assert_eq!(t.short_group(0), Some(("a{b}\\}c".to_string(), 9)));
        assert_eq!(t.short_group(9), None, "a blank line inside");
        assert!(t.group(9).unwrap().is_some());
        assert_eq!(t.short_group(16), None, "\\begin inside");
        assert_eq!(t.group(29), Err(()));
        assert_eq!(t.group(3), Ok(None));
    }

    #[test]
    fn optional_arguments_stop_at_a_blank_line_and_a_length() {
        let t = Text::new("[a{]}b] [x\n \ny]");
        assert_eq!(t.optional(0), Some(("a{]}b".to_string(), 7)));
        assert_eq!(t.optional(7), None);
        let long = format!("[{}]", "x".repeat(MAX_OPTIONAL + 1));
        assert_eq!(Text::new(&long).optional(0), None);
    }

    #[test]
    fn a_text_full_of_unclosed_braces_is_lexed_in_linear_time() {
        // 200,000 unclosed groups: each lookup is a binary search, not a scan.
        let s = "\\label{".repeat(200_000);
        let t = Text::new(&s);
        let mut k = 0;
        let mut found = 0;
        while k < t.b.len() {
            if t.short_group(k).is_some() {
                found += 1;
            }
            k += 7;
        }
        assert_eq!(found, 0);
    }
}

#[cfg(test)]
mod comment_tests {
    use super::*;

    #[test]
    fn a_percent_in_a_url_argument_is_no_comment() {
        let stripped = strip_comments(
            "\\href{https://a.org/x%20y}{a % b} c\n\\url {p%41{q}%r} s % t\n\\urlx{%} u",
        );
        assert_eq!(
            stripped,
            "\\href{https://a.org/x%20y}{a \u{c}\\url {p%41{q}%r} s \u{c}\\urlx{"
        );
    }

    #[test]
    fn a_comment_eats_its_line_end_so_comment_lines_break_no_paragraph() {
        let stripped = strip_comments("a % x\n% y\nb\n\n50\\% c\u{c}%");
        assert_eq!(
            stripped,
            "a \u{c}\u{c}b\n\n50\\% c \u{c}".trim_end_matches('\u{c}')
        );
        let t = Text::new(&stripped);
        let breaks: Vec<usize> = (0..stripped.len())
            .filter(|&k| t.ends_blank_line(k))
            .collect();
        assert_eq!(breaks, [6]);
    }
}
