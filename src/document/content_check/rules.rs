//! What counts as each required element: the headings that name it, what the section under such
//! a heading must say, and the phrasing that shows it in body text when no heading does.

use super::Element;
use super::outline::Outline;
use super::text::{contains_any, find_word, first_of, sentence_around, word_count};
use super::vocabulary::rule;

/// How the text under a heading must back the heading up.
pub(super) enum Needs {
    /// Text that is not a placeholder is enough.
    Text,
    /// Each group must have a word in the section.
    All(&'static [&'static [&'static str]]),
    /// A sentence of the section must show the element's phrasing (its anchor and companion).
    Sentence,
}

pub(super) struct HeadingRule {
    pub(super) keys: &'static [&'static str],
    pub(super) needs: Needs,
}

pub(super) struct Rule {
    pub(super) headings: &'static [HeadingRule],
    /// When one heading names several elements ("Scope and objectives"), the section must also
    /// mention one of these for each.
    pub(super) cues: &'static [&'static str],
    /// Phrases that show the element wherever they stand.
    pub(super) phrases: &'static [&'static str],
    /// Words that show the element when a companion word is in the same sentence.
    pub(super) anchors: &'static [&'static str],
    pub(super) companions: &'static [&'static str],
    /// An anchor right after one of these does not count ("with the exception of").
    pub(super) not_after: &'static [&'static str],
    /// A sentence with one of these does not count ("failure to comply … disciplinary").
    pub(super) not_in_sentence: &'static [&'static str],
}

/// Which elements a heading names, one bit per element in `Element::ALL` order.
pub(super) fn heading_mask(key: &str) -> u8 {
    Element::ALL
        .iter()
        .enumerate()
        .filter(|(_, element)| {
            rule(**element)
                .headings
                .iter()
                .any(|h| contains_any(key, h.keys))
        })
        .fold(0, |mask, (bit, _)| mask | 1 << bit)
}

/// Where an element was found, or why not.
pub(super) enum Found {
    /// Under this heading (index into the outline's headings).
    Heading(usize),
    /// At this byte of the clean text, shown by this pattern.
    Text { at: usize, pattern: &'static str },
    /// Not found; the heading named it but its section holds no text (or only placeholders).
    Missing { empty_heading: Option<usize> },
}

/// Enough words that a section says something.
fn says_something(section: &str) -> bool {
    word_count(section, 3) >= 3
}

pub(super) fn find(element: Element, outline: &Outline<'_>, masks: &[u8]) -> Found {
    let rule = rule(element);
    let bit = 1 << Element::ALL.iter().position(|e| *e == element).unwrap_or(0);
    let mut empty_heading = None;
    let mut chosen: Option<usize> = None;
    for (index, heading) in outline.headings.iter().enumerate() {
        // A match inside the chosen section is more precise ("3.2 Legal requirements" under
        // "3. Policy statement"); past its end, the chosen one stands.
        if chosen.is_some_and(|outer| heading.line >= outline.headings[outer].end_line) {
            break;
        }
        if masks[index] & bit == 0 {
            continue;
        }
        let section = outline.section(heading);
        if !says_something(section) {
            empty_heading.get_or_insert(index);
            continue;
        }
        let shared = masks[index].count_ones() > 1;
        let backed = rule
            .headings
            .iter()
            .filter(|h| contains_any(&heading.key, h.keys))
            .any(|h| match h.needs {
                Needs::Text => true,
                Needs::All(groups) => groups.iter().all(|group| contains_any(section, group)),
                Needs::Sentence => sentence_match(rule, section).is_some(),
            });
        if backed && (!shared || contains_any(section, rule.cues)) {
            chosen = Some(index);
        }
    }
    if let Some(index) = chosen {
        return Found::Heading(index);
    }
    let phrase = first_of(&outline.clean, rule.phrases);
    // Only a sentence before the phrase matters (give it room to end).
    let clean = &outline.clean;
    let before = phrase.map_or(clean.len(), |(at, _)| (at + 400).min(clean.len()));
    let sentence = sentence_match(rule, &clean[..clean.floor_char_boundary(before)]);
    match (phrase, sentence) {
        (Some((a, p)), Some((b, q))) => Found::Text {
            at: a.min(b),
            pattern: if a <= b { p } else { q },
        },
        (Some((at, pattern)), None) | (None, Some((at, pattern))) => Found::Text { at, pattern },
        (None, None) => Found::Missing { empty_heading },
    }
}

/// The first anchor with a companion in its sentence, skipping excluded uses. Each anchor's next
/// occurrence is kept and only searched again once passed, and a sentence is looked at once, so
/// the search stays linear however often the anchors occur.
fn sentence_match(rule: &Rule, text: &str) -> Option<(usize, &'static str)> {
    let mut next: Vec<Option<usize>> = rule
        .anchors
        .iter()
        .map(|anchor| find_word(text, anchor, 0))
        .collect();
    let mut from = 0;
    loop {
        let (slot, at) = next
            .iter()
            .enumerate()
            .filter_map(|(slot, at)| at.map(|at| (slot, at)))
            .min_by_key(|&(_, at)| at)?;
        let anchor = rule.anchors[slot];
        if at < from {
            next[slot] = find_word(text, anchor, from);
            continue;
        }
        if rule
            .not_after
            .iter()
            .any(|before| text[..at].ends_with(before))
        {
            next[slot] = find_word(text, anchor, at + 1);
            continue;
        }
        let (start, end) = sentence_around(text, at, 300);
        let sentence = &text[start..end];
        if contains_any(sentence, rule.companions) && !contains_any(sentence, rule.not_in_sentence)
        {
            return Some((at, anchor));
        }
        from = end.max(at + 1);
        next[slot] = find_word(text, anchor, from);
    }
}
