//! `hm explain [CODE]`.

use std::io::Write;
use std::process::ExitCode;

use hm_checks::{ALL, Rule, rule};
use miette::{IntoDiagnostic, Result, miette};

pub fn run(code: Option<&str>, out: &mut impl Write) -> Result<ExitCode> {
    let Some(code) = code else {
        for rule in ALL {
            let first = first_sentence(rule.docs().what);
            writeln!(
                out,
                "{}  {:<28} {:<8} {first}",
                rule.code(),
                rule.name(),
                rule.severity().as_str()
            )
            .into_diagnostic()?;
        }
        return Ok(ExitCode::SUCCESS);
    };
    let Some(rule) = rule(code) else {
        return Err(miette!(
            code = "hm::unknown-check",
            help = "`hm explain` lists every check",
            "no check named `{code}`"
        ));
    };
    write_rule(rule, out).into_diagnostic()?;
    Ok(ExitCode::SUCCESS)
}

/// Up to the first `. ` that ends a sentence (followed by a capital letter).
fn first_sentence(text: &str) -> &str {
    let end = text
        .match_indices(". ")
        .find(|(i, _)| text[i + 2..].starts_with(|c: char| c.is_uppercase() || c == '('))
        .map_or(text.len(), |(i, _)| i);
    text[..end].trim_end_matches('.')
}

fn write_rule(rule: &dyn Rule, out: &mut impl Write) -> std::io::Result<()> {
    let docs = rule.docs();
    writeln!(
        out,
        "{} {} ({})\n",
        rule.code(),
        rule.name(),
        rule.severity().as_str()
    )?;
    for (title, text) in [
        ("What", docs.what),
        ("Why", docs.why),
        ("Example", docs.example),
    ] {
        writeln!(out, "{title}")?;
        for line in text.lines() {
            writeln!(out, "    {line}")?;
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "Silence one finding with `# hm: allow({})` on the line before it.",
        rule.code()
    )
}
