//! Where miette may wrap a line of text, remembered per line.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use textwrap::WordSeparator;
use textwrap::core::Word;

/// Lines remembered at most (per thread); the cache starts again when full.
const LINES: usize = 1_024;

thread_local! {
    /// Each line's words, as the byte offsets where they start.
    static STARTS: RefCell<HashMap<Box<str>, Rc<[usize]>>> = RefCell::new(HashMap::new());
}

/// The words textwrap's default separator (Unicode line breaking, what miette wraps with)
/// finds in `line`, found once per distinct line: thousands of diagnostics repeat the same
/// message, labels and help, and finding their break opportunities took a quarter of the
/// time rendering them took. Words are made as the separator makes them
/// (`Word::from` of the text between two starts), so the wrapping is the same.
pub(crate) fn words(line: &str) -> Box<dyn Iterator<Item = Word<'_>> + '_> {
    let starts = STARTS.with(|cache| {
        if let Some(starts) = cache.borrow().get(line) {
            return starts.clone();
        }
        let base = line.as_ptr() as usize;
        let starts: Rc<[usize]> = WordSeparator::new()
            .find_words(line)
            .map(|w| w.word.as_ptr() as usize - base)
            .collect();
        let mut cache = cache.borrow_mut();
        if cache.len() >= LINES {
            cache.clear();
        }
        cache.insert(line.into(), starts.clone());
        starts
    });
    Box::new((0..starts.len()).map(move |i| {
        let end = starts.get(i + 1).copied().unwrap_or(line.len());
        Word::from(&line[starts[i]..end])
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_the_separators() {
        for line in [
            "",
            "   ",
            "define each name once: write both with dotted paths, or both inside one `{ … }`",
            "a-b c/d  e\u{00AD}f 日本語のテキスト \u{1b}[31mred\u{1b}[0m end ",
            "home-manager's `programs.git.enable`: see https://example.org/a-b?c=d",
        ] {
            for _ in 0..2 {
                let ours: Vec<Word> = words(line).collect();
                let theirs: Vec<Word> = WordSeparator::new().find_words(line).collect();
                assert_eq!(ours, theirs, "{line:?}");
            }
        }
    }
}
