//! `# hm: allow(HM201)` or `# hm: allow(HM201, HM205)` on the line before a finding.

use hm_diagnostics::Diagnostic;

use crate::Context;

pub(crate) fn is_allowed(cx: &Context, diagnostic: &Diagnostic) -> bool {
    let Some(label) = &diagnostic.primary else {
        return false;
    };
    let file = cx.analysis.db.file(label.span.file);
    let line = file.line(label.span.range.start);
    let Some(previous) = line.checked_sub(1).filter(|l| *l > 0) else {
        return false;
    };
    let Some(range) = file.line_index.line_range(&file.text, previous) else {
        return false;
    };
    allowed_codes(&file.text[range]).any(|code| code == diagnostic.code)
}

fn allowed_codes(line: &str) -> impl Iterator<Item = &str> {
    line.split_once('#')
        .map(|(_, comment)| comment.trim())
        .and_then(|c| c.strip_prefix("hm:"))
        .and_then(|c| c.trim().strip_prefix("allow("))
        .and_then(|c| c.split_once(')'))
        .map(|(codes, _)| codes)
        .into_iter()
        .flat_map(|codes| codes.split(',').map(str::trim))
}

#[cfg(test)]
mod tests {
    use super::allowed_codes;

    #[test]
    fn reads_codes_from_the_comment() {
        let codes: Vec<_> = allowed_codes("  # hm: allow(HM201, HM205)").collect();
        assert_eq!(codes, ["HM201", "HM205"]);
        assert_eq!(
            allowed_codes("x = 1; # hm:allow(HM001)").collect::<Vec<_>>(),
            ["HM001"]
        );
        assert_eq!(allowed_codes("# allow(HM201)").count(), 0);
    }
}
