//! Blanks out comments, string and char literals, keeping every byte offset and newline, so
//! the scanner can search for keywords and `sorry` tokens without false hits.

/// Returns `text` with comments (`--`, nested `/- -/`, doc comments) and string/char literals
/// replaced by spaces (multi-byte characters become as many spaces as they had bytes).
pub fn mask_comments_and_strings(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for b in &mut out[from..to] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    };
    while i < bytes.len() {
        // `«…»` quotes a name component: `--` or `"` inside it is part of the name.
        if bytes[i..].starts_with("«".as_bytes()) {
            i += text[i..]
                .find('»')
                .map_or(bytes.len() - i, |n| n + '»'.len_utf8());
            continue;
        }
        match bytes[i] {
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                let end = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                blank(&mut out, i, end);
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'-') => {
                let mut depth = 0usize;
                let start = i;
                while i < bytes.len() {
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'-') {
                        depth += 1;
                        i += 2;
                    } else if bytes[i] == b'-' && bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                blank(&mut out, start, i.min(bytes.len()));
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                blank(&mut out, start, i);
            }
            // A char literal such as 'a' or '\n'; a prime after an identifier (x') is not one.
            b'\'' if is_char_literal(bytes, i) => {
                let start = i;
                i += 1;
                if bytes.get(i) == Some(&b'\\') {
                    i += 1;
                }
                while i < bytes.len() && bytes[i] != b'\'' {
                    i += 1;
                }
                i = (i + 1).min(bytes.len());
                blank(&mut out, start, i);
            }
            _ => i += 1,
        }
    }
    // Only ASCII bytes were replaced by ASCII spaces and whole multi-byte runs inside
    // comments/strings were blanked byte by byte, so the result is valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn is_char_literal(bytes: &[u8], i: usize) -> bool {
    let prev_is_ident = i > 0
        && (bytes[i - 1].is_ascii_alphanumeric()
            || bytes[i - 1] == b'_'
            || bytes[i - 1] >= 0x80
            || bytes[i - 1] == b'\'');
    if prev_is_ident {
        return false;
    }
    match bytes.get(i + 1) {
        Some(b'\\') => true,
        Some(_) => {
            // 'x' : the closing quote follows one (possibly multi-byte) character.
            let rest = &bytes[i + 1..];
            let len = utf8_len(rest[0]);
            rest.get(len) == Some(&b'\'')
        }
        None => false,
    }
}

/// The length of the UTF-8 sequence that byte `first` starts; 1 for a byte that starts none
/// (a continuation byte), so a byte scan always moves on.
pub fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_offsets_and_blanks_comments() {
        let src =
            "def a := 1 -- sorry here\n/- outer /- inner sorry -/ still -/ def b := \"sorry\"\n";
        let masked = mask_comments_and_strings(src);
        assert_eq!(masked.len(), src.len());
        assert!(!masked.contains("sorry"));
        assert!(masked.contains("def a := 1"));
        assert!(masked.contains("def b :="));
        assert_eq!(masked.matches('\n').count(), 2);
    }

    #[test]
    fn primes_are_not_char_literals() {
        let src = "theorem x' (h' : a) : b := sorry";
        assert!(mask_comments_and_strings(src).contains("sorry"));
        assert!(!mask_comments_and_strings("def c := 'x' -- ").contains('x'));
    }

    #[test]
    fn quoted_names_are_not_comments() {
        let src = "theorem «a--b» : True := sorry";
        assert!(mask_comments_and_strings(src).contains("sorry"));
    }

    #[test]
    fn multibyte_text_in_comments_stays_valid() {
        let src = "-- φ ≤ μ²\ndef φ := 1";
        let masked = mask_comments_and_strings(src);
        assert_eq!(masked.len(), src.len());
        assert!(masked.ends_with("def φ := 1"));
    }
}
