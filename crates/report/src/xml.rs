//! Text for XML documents (the JUnit report here; SVG pictures elsewhere): the five markup
//! characters escaped, and the control characters XML 1.0 forbids even escaped replaced.

/// `s` as XML character data or an attribute value (either quote style).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_forbidden_controls() {
        assert_eq!(
            escape("a < b & \"c\" 'd' > e\u{1}\n"),
            "a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt; e\u{FFFD}\n"
        );
        assert_eq!(escape("‖φ‖ ≤ μ²"), "‖φ‖ ≤ μ²");
    }
}
