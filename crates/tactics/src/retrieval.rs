//! Retrieval over remembered proof steps: the training steps most similar to a new goal
//! (cosine over hashed character 3-grams of the normalised goal, rare features weighted up,
//! the previous step's head — or the proof's start — as a feature), each neighbour's tactic
//! re-fitted to the new goal (its local names become typed slots, filled with the new goal's
//! names of the same kind).
//!
//! Two rankings of the neighbours: [`Retrieval::nearest_only`] lists their tactics by the
//! closest neighbour's similarity (the first baseline); the default adds up the neighbours'
//! votes per tactic and per tactic head, mixes the heads with the [`HeadNGram`] prior of the
//! proof's previous steps, and shows the best tactic of each of the five likeliest heads, then
//! each one's second best, before the others (so the top five are not five variants of one
//! head, and a head whose best the scope check hides stays in the list). `theorist
//! suggest` ranks with the default; `model eval --mined` reports both.

use std::collections::HashMap;

use crate::corpus::Example;
use crate::dataset::StepItem;
use crate::goal::Goal;
use crate::ngram::HeadNGram;
use crate::normalise::{collapse_ws, normalise_goal};
use crate::scope::Local;
use crate::template::{abstract_tactic, binder_canonical, fillings, template_names};
use crate::{Admits, Ranker, SCOPE_HEADROOM, Suggestion, admit_all, rank_dedup, tactic_head};

const DIM: u32 = 1 << 20;

/// A sparse, L2-normalised vector of hashed features.
pub type Features = Vec<(u32, f32)>;

fn hash(parts: &[char]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in parts {
        h ^= *c as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h % DIM
}

/// Character 3-grams of the normalised goal, and the previous step's head word (or, with
/// `at_start`, a mark that no step came before).
pub fn features(goal: &str, previous: Option<&str>, at_start: bool) -> Features {
    let chars: Vec<char> = format!("\u{2}{}\u{3}", goal).chars().collect();
    let mut counts: HashMap<u32, f32> = HashMap::new();
    for w in chars.windows(3) {
        *counts.entry(hash(w)).or_default() += 1.0;
    }
    let context = match previous {
        Some(p) => Some(format!("\u{1}prev:{}", tactic_head(p))),
        None => at_start.then(|| "\u{1}start".to_string()),
    };
    if let Some(c) = context {
        let c: Vec<char> = c.chars().collect();
        *counts.entry(hash(&c)).or_default() += 4.0;
    }
    let mut v: Features = counts.into_iter().collect();
    v.sort_by_key(|(k, _)| *k);
    v
}

fn l2_normalise(v: &mut Features) {
    let norm = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt().max(1e-6);
    for (_, x) in v.iter_mut() {
        *x /= norm;
    }
}

pub fn cosine(a: &Features, b: &Features) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// A remembered step: its tactic and its goal (normalised). The tactic is abstracted over the
/// goal's names only when the row is retrieved: most rows never are.
struct Row {
    tactic: String,
    goal: String,
}

/// Nearest-neighbour retrieval of tactics, re-fitted to the new goal's names.
pub struct Retrieval {
    rows: Vec<Row>,
    /// Inverted index: feature → (row, weight).
    index: HashMap<u32, Vec<(u32, f32)>>,
    /// Inverse document frequency per feature.
    idf: HashMap<u32, f32>,
    neighbours: usize,
    /// The rows know their proofs' earlier steps (mined proofs, not generated goals).
    history: bool,
    /// The heads' prior after the previous steps (empty without history).
    ngram: HeadNGram,
    pub settings: Votes,
}

/// How the default ranking weighs what the neighbours propose.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Votes {
    /// `false`: list the neighbours' tactics by the closest neighbour's similarity alone.
    pub vote: bool,
    /// A neighbour's vote is its similarity to this power (closer neighbours count more).
    pub sharpness: f64,
    /// Share of a head's score that comes from the n-gram prior (the rest from the votes).
    pub prior: f64,
    /// This many likeliest heads show their best tactic before any second tactic of a head…
    pub diverse_heads: usize,
    /// … for this many rounds (the second round: each head's second best).
    pub rounds: usize,
}

impl Default for Votes {
    /// Chosen on development files of the training repositories (`model eval --mined
    /// --dev`: prior 0, 0.3, 0.6, 0.85 × sharpness 1, 3 × 3 or 5 heads × 1 or 2 rounds),
    /// never on the held-out sets; the differences were within the intervals.
    fn default() -> Self {
        Votes {
            vote: true,
            sharpness: 3.0,
            prior: 0.6,
            diverse_heads: 5,
            rounds: 2,
        }
    }
}

/// Ways of filling a remembered tactic's slots tried before it counts as out of scope.
pub(crate) const FILLINGS_TRIED: usize = 4;

/// Features in more than this share of the rows carry no information and are not looked up.
const MAX_DF: f64 = 0.05;

impl Retrieval {
    /// Remembers `examples` (the generated corpus: goals without history).
    pub fn train(examples: &[Example]) -> Retrieval {
        Self::build(
            examples
                .iter()
                .map(|e| (e.goal.as_str(), None, e.tactic.as_str())),
            false,
        )
    }

    /// Remembers mined steps (with their previous step), and their heads' n-gram; a
    /// `sorry`/`admit` step is never remembered (it would be suggested).
    pub fn from_items(items: &[StepItem]) -> Retrieval {
        let items: Vec<StepItem> = items
            .iter()
            .filter(|it| !crate::ngram::is_placeholder(&it.tactic))
            .cloned()
            .collect();
        let items = items.as_slice();
        let mut r = Self::build(
            items.iter().map(|it| {
                (
                    it.goal.as_str(),
                    it.previous.last().map(String::as_str),
                    it.tactic.as_str(),
                )
            }),
            true,
        );
        r.ngram = HeadNGram::from_items(items);
        r
    }

    /// The first baseline's ranking: the neighbours' tactics by the closest one's similarity.
    pub fn nearest_only(mut self) -> Retrieval {
        self.settings.vote = false;
        self
    }

    fn build<'a>(
        rows: impl Iterator<Item = (&'a str, Option<&'a str>, &'a str)>,
        history: bool,
    ) -> Retrieval {
        let mut memory = Vec::new();
        let mut vectors = Vec::new();
        let mut df: HashMap<u32, u32> = HashMap::new();
        for (goal, previous, tactic) in rows {
            let g = normalise_goal(goal);
            let f = features(&g, previous, history);
            for (k, _) in &f {
                *df.entry(*k).or_default() += 1;
            }
            memory.push(Row {
                tactic: collapse_ws(tactic),
                goal: g,
            });
            vectors.push(f);
        }
        let n = memory.len().max(1) as f64;
        let idf: HashMap<u32, f32> = df
            .iter()
            .map(|(k, d)| (*k, ((n + 1.0) / (*d as f64 + 1.0)).ln() as f32 + 1.0))
            .collect();
        let mut index: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
        for (row, mut f) in vectors.into_iter().enumerate() {
            for (k, x) in f.iter_mut() {
                *x *= idf[k];
            }
            l2_normalise(&mut f);
            for (k, x) in f {
                if (df[&k] as f64) <= MAX_DF * n || n < 200.0 {
                    index.entry(k).or_default().push((row as u32, x));
                }
            }
        }
        Retrieval {
            rows: memory,
            index,
            idf,
            neighbours: 48,
            history,
            ngram: HeadNGram::default(),
            settings: Votes::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The `n` most similar remembered steps: (row, similarity). With mined rows, no
    /// `previous` step means the proof's start.
    pub fn nearest(&self, goal: &str, previous: Option<&str>, n: usize) -> Vec<(usize, f32)> {
        let mut q = features(&normalise_goal(goal), previous, self.history);
        for (k, x) in q.iter_mut() {
            *x *= self.idf.get(k).copied().unwrap_or(1.0);
        }
        l2_normalise(&mut q);
        // Dense scores with the rows touched listed: a memory of 10^5 rows and posting
        // lists of thousands make a hash map the bottleneck.
        let mut scores = vec![0f32; self.rows.len()];
        let mut touched: Vec<u32> = Vec::new();
        for (k, v) in &q {
            if let Some(rows) = self.index.get(k) {
                for (row, w) in rows {
                    let s = &mut scores[*row as usize];
                    if *s == 0.0 {
                        touched.push(*row);
                    }
                    *s += v * w;
                }
            }
        }
        let mut best: Vec<(usize, f32)> = touched
            .into_iter()
            .map(|r| (r as usize, scores[r as usize]))
            .collect();
        let order = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if best.len() > n && n > 0 {
            best.select_nth_unstable_by(n - 1, order);
            best.truncate(n);
        }
        best.sort_by(order);
        best.truncate(n);
        best
    }

    /// The literal tactic of a remembered row.
    pub fn tactic(&self, row: usize) -> &str {
        &self.rows[row].tactic
    }

    /// The row's tactic fitted to a goal whose template names are `names`: its typed slots
    /// filled with names of the same kind (the literal tactic when it names no local and no
    /// definition of the target), the first filling `admits` lets through (another
    /// hypothesis of the slot's kind may be in scope where the first is not).
    pub fn fitted(&self, row: usize, names: &[Local], admits: Admits) -> Option<String> {
        let r = &self.rows[row];
        let own = Goal::parse(&r.goal)
            .map(|g| template_names(&g))
            .unwrap_or_default();
        let template = abstract_tactic(&r.tactic, &own).0;
        if template == r.tactic {
            return admits(&r.tactic).then(|| r.tactic.clone());
        }
        fillings(&template, names, FILLINGS_TRIED)
            .into_iter()
            .find(|t| admits(t))
    }
}

impl Ranker for Retrieval {
    fn suggest(&self, goal: &str, k: usize) -> Vec<Suggestion> {
        self.suggest_after(goal, &[], k)
    }

    fn suggest_after(&self, goal: &str, previous: &[String], k: usize) -> Vec<Suggestion> {
        self.ranked(goal, previous, k, self.settings)
    }

    fn suggest_in(
        &self,
        goal: &str,
        previous: &[String],
        k: usize,
        admits: Admits,
    ) -> Vec<Suggestion> {
        self.ranked_in(goal, previous, k, self.settings, admits)
    }

    fn name(&self) -> &str {
        if self.settings.vote {
            "retrieval"
        } else {
            "nearest-neighbour"
        }
    }
}

/// The same memory ranked with other settings (for comparing rankings without a second
/// index).
pub struct RetrievalView<'a> {
    retrieval: &'a Retrieval,
    settings: Votes,
    name: String,
}

impl Retrieval {
    /// This memory ranked with `settings`, reported as `name`.
    pub fn view(&self, settings: Votes, name: &str) -> RetrievalView<'_> {
        RetrievalView {
            retrieval: self,
            settings,
            name: name.to_string(),
        }
    }

    /// The neighbours' tactics, fitted to `goal`, ranked with `settings`: at most `k`.
    pub fn ranked(
        &self,
        goal: &str,
        previous: &[String],
        k: usize,
        settings: Votes,
    ) -> Vec<Suggestion> {
        self.ranked_from(goal, previous, (k, k), settings, &admit_all)
    }

    /// The same, only what `admits` lets through, from as many neighbours as a list
    /// [`SCOPE_HEADROOM`] times longer would need (the check turns some away).
    pub fn ranked_in(
        &self,
        goal: &str,
        previous: &[String],
        k: usize,
        settings: Votes,
        admits: Admits,
    ) -> Vec<Suggestion> {
        let pool = k * SCOPE_HEADROOM;
        self.ranked_from(goal, previous, (k, pool), settings, admits)
    }

    /// At most `k`, from as many neighbours as a list of `pool` would need.
    fn ranked_from(
        &self,
        goal: &str,
        previous: &[String],
        (k, pool): (usize, usize),
        settings: Votes,
        admits: Admits,
    ) -> Vec<Suggestion> {
        let fitted = self.neighbours_fitted(goal, previous, pool, admits);
        if settings.vote {
            self.by_votes(goal, fitted, previous, k, settings, admits)
        } else {
            by_similarity(fitted, k)
        }
    }
}

impl Retrieval {
    /// The tactics of the nearest remembered steps, fitted to `goal`, with their similarity;
    /// those `admits` lets through.
    pub fn neighbours_fitted(
        &self,
        goal: &str,
        previous: &[String],
        k: usize,
        admits: Admits,
    ) -> Vec<(String, f32)> {
        // The goal's names once, not once per neighbour.
        let names = crate::ngram::goal_names(goal);
        self.nearest(
            goal,
            previous.last().map(String::as_str),
            self.neighbours.max(k * 4),
        )
        .into_iter()
        .filter_map(|(row, s)| Some((self.fitted(row, &names, admits)?, s)))
        .collect()
    }
}

impl Ranker for RetrievalView<'_> {
    fn suggest(&self, goal: &str, k: usize) -> Vec<Suggestion> {
        self.suggest_after(goal, &[], k)
    }

    fn suggest_after(&self, goal: &str, previous: &[String], k: usize) -> Vec<Suggestion> {
        self.retrieval.ranked(goal, previous, k, self.settings)
    }

    fn suggest_in(
        &self,
        goal: &str,
        previous: &[String],
        k: usize,
        admits: Admits,
    ) -> Vec<Suggestion> {
        self.retrieval
            .ranked_in(goal, previous, k, self.settings, admits)
    }

    fn name(&self) -> &str {
        &self.name
    }
}

impl Retrieval {
    /// Tactics by votes, heads by votes mixed with the n-gram prior; the best tactic of
    /// each of the likeliest heads first.
    fn by_votes(
        &self,
        goal: &str,
        fitted: Vec<(String, f32)>,
        previous: &[String],
        k: usize,
        v: Votes,
        admits: Admits,
    ) -> Vec<Suggestion> {
        let mut tactics = votes(fitted, v.sharpness);
        let total: f64 = tactics.iter().map(|t| t.2).sum::<f64>().max(1e-12);
        let mut heads: HashMap<String, f64> = HashMap::new();
        for (_, t, vote) in &tactics {
            *heads.entry(tactic_head(t).to_string()).or_default() += (1.0 - v.prior) * vote / total;
        }
        let prior = if self.ngram.is_empty() {
            Vec::new()
        } else {
            self.ngram.distribution(previous)
        };
        for (h, p) in prior.iter().take(k * 2) {
            *heads.entry(h.clone()).or_default() += v.prior * p;
        }
        // Heads the neighbours never proposed speak through their favourite templates,
        // filled with this goal's names.
        let names = crate::ngram::goal_names(goal);
        for (h, _) in prior.iter().take(k * 2) {
            if !tactics.iter().any(|(_, t, _)| tactic_head(t) == h) {
                let shown = self.ngram.tactics_of(h, &names).into_iter();
                for (t, share) in shown.filter(|(t, _)| admits(t)).take(2) {
                    tactics.push((binder_canonical(&t), t, share * 1e-3));
                }
            }
        }
        let mut ranked_heads: Vec<(String, f64)> = heads.into_iter().collect();
        ranked_heads.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let head_score = |t: &str| {
            ranked_heads
                .iter()
                .find(|(h, _)| h == tactic_head(t))
                .map_or(0.0, |(_, s)| *s)
        };
        // Within the list: a tactic's score is its head's times its share of the head's votes.
        let scored: Vec<(String, f64)> = tactics
            .iter()
            .map(|(_, t, vote)| {
                let head = tactic_head(t);
                let of_head: f64 = tactics
                    .iter()
                    .filter(|(_, u, _)| tactic_head(u) == head)
                    .map(|x| x.2)
                    .sum::<f64>()
                    .max(1e-12);
                (t.clone(), head_score(t) * vote / of_head)
            })
            .collect();
        diversified(scored, &ranked_heads, k, v, "retrieval")
    }
}

/// The neighbours' votes per tactic, `(key, tactic, vote)`: a neighbour's similarity to the
/// power `sharpness`; one entry per tactic up to the names it binds (`intro L _`, `intro u _`).
pub(crate) fn votes(fitted: Vec<(String, f32)>, sharpness: f64) -> Vec<(String, String, f64)> {
    let mut tactics: Vec<(String, String, f64)> = Vec::new();
    for (tactic, s) in fitted {
        let key = binder_canonical(&tactic);
        let vote = (s.max(0.0) as f64).powf(sharpness);
        match tactics.iter_mut().find(|(k, _, _)| *k == key) {
            Some(t) => t.2 += vote,
            None => tactics.push((key, tactic, vote)),
        }
    }
    tactics
}

/// `scored` tactics shown best first, but round by round the next best tactic of each of the
/// likeliest `ranked_heads` (best first) before the rest: the scope check may hide a head's
/// best, and its second then keeps the head in the list. Scores keep the order shown.
pub(crate) fn diversified(
    mut scored: Vec<(String, f64)>,
    ranked_heads: &[(String, f64)],
    k: usize,
    v: Votes,
    source: &str,
) -> Vec<Suggestion> {
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut order: Vec<(String, f64)> = Vec::new();
    for round in 0..v.rounds {
        for (h, _) in ranked_heads.iter().take(v.diverse_heads) {
            if let Some(next) = scored
                .iter()
                .filter(|(t, _)| tactic_head(t) == h)
                .nth(round)
            {
                order.push(next.clone());
            }
        }
    }
    for s in scored {
        if !order.iter().any(|(t, _)| *t == s.0) {
            order.push(s);
        }
    }
    let mut last = f64::INFINITY;
    let list = order
        .into_iter()
        .map(|(tactic, score)| {
            last = score.min(last);
            Suggestion {
                tactic,
                score: last,
                source: source.into(),
            }
        })
        .collect();
    rank_dedup(list, k)
}

/// The neighbours' tactics by the closest neighbour's similarity.
fn by_similarity(fitted: Vec<(String, f32)>, k: usize) -> Vec<Suggestion> {
    let list = fitted
        .into_iter()
        .map(|(tactic, s)| Suggestion {
            tactic,
            score: s as f64,
            source: "retrieval".into(),
        })
        .collect::<Vec<_>>();
    // One of each tactic up to the names it binds itself (`intro L _`, `intro u _`).
    let mut seen = std::collections::HashSet::new();
    rank_dedup(list, usize::MAX)
        .into_iter()
        .filter(|s| seen.insert(binder_canonical(&s.tactic)))
        .take(k)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(goal: &str, previous: &[&str], tactic: &str) -> StepItem {
        StepItem::for_test(goal, previous, tactic)
    }

    /// One remembered first step per tactic, each at a goal `0 ≤ x + i` with `hx : 0 ≤ x`.
    fn memory(tactics: &[&str]) -> Vec<StepItem> {
        let at = |i: usize| format!("x : ℝ\nhx : 0 ≤ x\n⊢ 0 ≤ x + {i}");
        tactics
            .iter()
            .enumerate()
            .map(|(i, t)| item(&at(i), &[], t))
            .collect()
    }

    #[test]
    fn votes_put_distinct_heads_first_and_fit_names() {
        let mut items = memory(&[
            "simp [foo]",
            "simp [bar]",
            "simp [baz]",
            "simp",
            "linarith [hx]",
        ]);
        items.push(item("x : ℝ\n⊢ x = x", &[], "sorry"));
        let r = Retrieval::from_items(&items);
        assert_eq!(r.len(), 5, "sorry is never remembered");
        let list = r.suggest("a : ℝ\nha : 0 ≤ a\n⊢ 0 ≤ a + 7", 6);
        let shown: Vec<&str> = list.iter().map(|s| s.tactic.as_str()).collect();
        // Four `simp` variants outvote one `linarith`, yet `linarith` is second, with this
        // goal's hypothesis; the list keeps its order by score.
        assert_eq!(crate::tactic_head(shown[0]), "simp", "{shown:?}");
        assert_eq!(shown[1], "linarith [ha]", "{shown:?}");
        assert!(list.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(!shown.contains(&"sorry"));
        // The first baseline lists by the closest neighbour alone.
        let nearest = r.view(
            Votes {
                vote: false,
                ..Votes::default()
            },
            "nearest-neighbour",
        );
        assert_eq!(nearest.name(), "nearest-neighbour");
        assert_eq!(
            nearest.suggest("a : ℝ\nha : 0 ≤ a\n⊢ 0 ≤ a + 7", 6).len(),
            5
        );
    }

    #[test]
    fn told_the_scope_check_it_ranks_what_passes() {
        let items = memory(&[
            "simp [foo]",
            "simp [foo]",
            "simp [foo]",
            "simp",
            "linarith [hx]",
        ]);
        let r = Retrieval::from_items(&items);
        let goal = "a : ℝ\nha : 0 ≤ a\n⊢ 0 ≤ a + 7";
        assert_eq!(r.suggest(goal, 3)[0].tactic, "simp [foo]");
        // `foo` does not resolve here: `simp` keeps its place with the tactic that does.
        let admits = |t: &str| !t.contains("foo");
        let shown: Vec<String> = r
            .suggest_in(goal, &[], 3, &admits)
            .into_iter()
            .map(|s| s.tactic)
            .collect();
        assert_eq!(shown, ["simp", "linarith [ha]"]);
    }
}
