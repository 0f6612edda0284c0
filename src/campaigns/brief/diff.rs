//! The word diff between two versions of a brief, for creators who applied
//! to see exactly what changed.

use super::domain::Brief;

/// A piece of a word-level comparison between two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Same(String),
    Added(String),
    Removed(String),
}

/// Word-level differences from `old` to `new`. Changes separated only by spaces
/// are merged, so "a decade" → "ten years" reads as one replacement, not two.
pub fn diff(old: &Brief, new: &Brief) -> Vec<Change> {
    let (old, new) = (old.as_text(), new.as_text());
    let diff = similar::TextDiff::from_words(old.as_str(), new.as_str());
    let mut out: Vec<Change> = Vec::new();
    let (mut removed, mut added) = (String::new(), String::new());
    // Whitespace seen since the last change: joins the next change of the same
    // side, or is kept as it is when the run of changes ends.
    let mut gap = String::new();
    let flush =
        |out: &mut Vec<Change>, removed: &mut String, added: &mut String, gap: &mut String| {
            if !removed.is_empty() {
                out.push(Change::Removed(std::mem::take(removed)));
            }
            if !added.is_empty() {
                out.push(Change::Added(std::mem::take(added)));
            }
            if !gap.is_empty() {
                push_same(out, std::mem::take(gap));
            }
        };
    for change in diff.iter_all_changes() {
        let text = change.value();
        // Inside a run of changes, whitespace only separates words: keep one run
        // of it (a line break if there is one), whichever side it came from.
        if text.trim().is_empty() && !(removed.is_empty() && added.is_empty()) {
            if gap.is_empty() || (text.contains('\n') && !gap.contains('\n')) {
                gap = text.to_owned();
            }
            continue;
        }
        match change.tag() {
            similar::ChangeTag::Delete => {
                if !removed.is_empty() {
                    removed.push_str(&gap);
                }
                removed.push_str(text);
                if added.is_empty() {
                    gap.clear();
                }
            }
            similar::ChangeTag::Insert => {
                if !added.is_empty() {
                    added.push_str(&gap);
                }
                added.push_str(text);
                gap.clear();
            }
            similar::ChangeTag::Equal => {
                flush(&mut out, &mut removed, &mut added, &mut gap);
                push_same(&mut out, text.to_owned());
            }
        }
    }
    flush(&mut out, &mut removed, &mut added, &mut gap);
    out
}

fn push_same(out: &mut Vec<Change>, text: String) {
    match out.last_mut() {
        Some(Change::Same(s)) => s.push_str(&text),
        _ => out.push(Change::Same(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaigns::brief::form::tests::{RUNS, form};

    #[test]
    fn identical_versions_have_no_changes_and_edits_are_grouped() {
        let (a, _) = form().parse(false, RUNS).expect("valid");
        assert!(diff(&a, &a).iter().all(|c| matches!(c, Change::Same(_))));
        let b = Brief {
            key_message: "Dry for ten years.".into(),
            ..a.clone()
        };
        let changes = diff(&a, &b);
        assert!(
            changes.contains(&Change::Removed("a decade.".into())),
            "{changes:?}"
        );
        assert!(
            changes.contains(&Change::Added("ten years.".into())),
            "{changes:?}"
        );
    }
}
