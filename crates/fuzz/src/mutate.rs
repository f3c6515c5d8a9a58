//! Inputs for the targets: a seeded generator (splitmix64, so a seed replays a run exactly)
//! and a mutator over a corpus. Without compiler instrumentation on stable Rust there is no
//! edge coverage; instead each target reports a coarse "shape" of what it made of an input
//! (kinds and counts of what it found, which error), and inputs with a new shape join the
//! corpus. Mutations are byte-level (flips, inserts, deletions, splices) and structural: the
//! target's dictionary of tokens, duplicated and repeated chunks (what finds exponential
//! expansion), multi-byte and invalid UTF-8.

/// splitmix64: small, fast, and the same sequence for the same seed everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// Characters that trip up byte/char/UTF-16 arithmetic: multi-byte, combining, zero-width,
/// astral, Lean's own (`«»`, `ℝ`, `⊢`, subscripts).
const CHARS: &[&str] = &[
    "«", "»", "ℝ", "⊢", "₁", "²", "√", "∀", "∃", "λ", "→", "↦", "≤", "≥", "≠", "·", "\u{0}",
    "\u{feff}", "\u{200b}", "\u{301}", "𝔽", "😀", "\r", "\r\n", "\t", "\u{7f}",
];

/// Byte sequences that are not UTF-8 at all.
const INVALID: &[&[u8]] = &[
    b"\xff",
    b"\xc3",
    b"\xe2\x82",
    b"\xf0\x9f\x98",
    b"\xed\xa0\x80",
];

/// Numbers at the edges.
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1e308",
    "1e-400",
    "18446744073709551616",
    "9223372036854775807",
    "4294967296",
    "0.0000000000000000000001",
    "999999999999999999999999999999",
];

pub struct Mutator {
    pub rng: Rng,
    dictionary: Vec<Vec<u8>>,
    max_len: usize,
}

impl Mutator {
    pub fn new(seed: u64, dictionary: &[&str], max_len: usize) -> Mutator {
        let mut words: Vec<Vec<u8>> = dictionary.iter().map(|w| w.as_bytes().to_vec()).collect();
        words.extend(CHARS.iter().map(|c| c.as_bytes().to_vec()));
        words.extend(NUMBERS.iter().map(|n| n.as_bytes().to_vec()));
        Mutator {
            rng: Rng::new(seed),
            dictionary: words,
            max_len,
        }
    }

    fn word(&mut self) -> Vec<u8> {
        if self.rng.chance(16) {
            INVALID[self.rng.below(INVALID.len())].to_vec()
        } else {
            self.dictionary[self.rng.below(self.dictionary.len())].clone()
        }
    }

    /// A fresh input: dictionary words with separators.
    pub fn generate(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let n = 1 + self.rng.below(40);
        for _ in 0..n {
            out.extend(self.word());
            match self.rng.below(6) {
                0 => out.push(b'\n'),
                1 | 2 => out.push(b' '),
                _ => {}
            }
        }
        out.truncate(self.max_len);
        out
    }

    /// A mutant of `input` (a few stacked mutations), spliced with `other` at times.
    pub fn mutate(&mut self, input: &[u8], other: &[u8]) -> Vec<u8> {
        let mut v = input.to_vec();
        let most = if self.rng.chance(4) { 16 } else { 4 };
        let rounds = 1 + self.rng.below(most);
        for _ in 0..rounds {
            self.mutate_once(&mut v, other);
        }
        v.truncate(self.max_len);
        v
    }

    fn range(&mut self, len: usize) -> (usize, usize) {
        if len == 0 {
            return (0, 0);
        }
        let start = self.rng.below(len);
        let max = (len - start).min(if self.rng.chance(8) { len } else { 64 });
        let end = start + 1 + self.rng.below(max.max(1));
        (start, end.min(len))
    }

    fn mutate_once(&mut self, v: &mut Vec<u8>, other: &[u8]) {
        let at = |rng: &mut Rng, v: &Vec<u8>| rng.below(v.len() + 1);
        match self.rng.below(13) {
            0 if !v.is_empty() => {
                let i = self.rng.below(v.len());
                v[i] ^= 1 << self.rng.below(8);
            }
            1 if !v.is_empty() => {
                let i = self.rng.below(v.len());
                v[i] = [0, 0x7f, 0x80, 0xff, b'{', b'}', b'\\', b'"', b'\n'][self.rng.below(9)];
            }
            2 => {
                let i = at(&mut self.rng, v);
                let b = self.rng.next_u64() as u8;
                v.insert(i, b);
            }
            3 if !v.is_empty() => {
                let (s, e) = self.range(v.len());
                v.drain(s..e);
            }
            4 if !v.is_empty() => {
                // Duplicate a chunk somewhere else.
                let (s, e) = self.range(v.len());
                let chunk = v[s..e].to_vec();
                let i = at(&mut self.rng, v);
                v.splice(i..i, chunk);
            }
            5 | 6 => {
                let w = self.word();
                let i = at(&mut self.rng, v);
                v.splice(i..i, w);
            }
            7 if !v.is_empty() => {
                let w = self.word();
                let (s, e) = self.range(v.len());
                v.splice(s..e, w);
            }
            8 if !other.is_empty() => {
                // Crossover: a chunk of another corpus entry.
                let (s, e) = self.range(other.len());
                let i = at(&mut self.rng, v);
                v.splice(i..i, other[s..e].iter().copied());
            }
            9 if !v.is_empty() => {
                // Repeat a chunk: nesting depth and expansion blow-ups.
                let (s, e) = self.range(v.len());
                let chunk = v[s..e].to_vec();
                let most = if self.rng.chance(8) { 200 } else { 8 };
                let times = 2 + self.rng.below(most);
                let mut repeated = Vec::with_capacity(chunk.len() * times);
                for _ in 0..times {
                    repeated.extend_from_slice(&chunk);
                }
                v.splice(s..e, repeated);
            }
            10 if v.len() > 1 => {
                let cut = self.rng.below(v.len());
                v.truncate(cut);
            }
            11 if !v.is_empty() => {
                // Swap two chunks.
                let (s1, e1) = self.range(v.len());
                let (s2, e2) = self.range(v.len());
                if e1 <= s2 || e2 <= s1 {
                    let (a, b) = if s1 < s2 {
                        ((s1, e1), (s2, e2))
                    } else {
                        ((s2, e2), (s1, e1))
                    };
                    let mut out = Vec::with_capacity(v.len());
                    out.extend_from_slice(&v[..a.0]);
                    out.extend_from_slice(&v[b.0..b.1]);
                    out.extend_from_slice(&v[a.1..b.0]);
                    out.extend_from_slice(&v[a.0..a.1]);
                    out.extend_from_slice(&v[b.1..]);
                    *v = out;
                }
            }
            _ => {
                let w = self.word();
                v.extend(w);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_replays_exactly() {
        let run = |seed| {
            let mut m = Mutator::new(seed, &["theorem", ":="], 4096);
            let mut v = m.generate();
            for _ in 0..200 {
                v = m.mutate(&v, b"other input");
            }
            v
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn mutants_respect_the_length_cap() {
        let mut m = Mutator::new(1, &["\\newcommand"], 256);
        let mut v = b"\\def\\x{\\x\\x}".to_vec();
        for _ in 0..2000 {
            v = m.mutate(&v, b"abc");
            assert!(v.len() <= 256);
            if v.is_empty() {
                v = m.generate();
            }
        }
    }
}
