//! Every `konform …` command line in a shell block of README.md and docs/*.md parses: the
//! documentation cannot name a flag the tool no longer has. Lines are split like a POSIX
//! shell would (quotes, backslash continuations); a trailing `# comment` is dropped.

use clap::Parser;

use super::Cli;

/// The `konform` command lines of the fenced `sh`/`bash`/`console` blocks of `text`.
fn command_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_block = false;
    let mut pending = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(lang) = trimmed.strip_prefix("```") {
            in_block = !in_block && matches!(lang, "sh" | "bash" | "console" | "shell");
            continue;
        }
        if !in_block {
            continue;
        }
        let line = trimmed.strip_prefix("$ ").unwrap_or(trimmed);
        if pending.is_empty() && !line.starts_with("konform ") {
            continue;
        }
        if let Some(cont) = line.strip_suffix('\\') {
            pending.push_str(cont);
            pending.push(' ');
            continue;
        }
        pending.push_str(line);
        out.push(std::mem::take(&mut pending));
    }
    out
}

/// Splits a command line into words: single and double quotes, a `#` comment after a space.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    let mut prev_space = true;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                any = true;
            }
            None if c == '#' && prev_space => break,
            None if c.is_whitespace() => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            None => word.push(c),
        }
        prev_space = c.is_whitespace();
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    // A pipe or redirection ends the command.
    if let Some(i) = words
        .iter()
        .position(|w| matches!(w.as_str(), "|" | ">" | "&&" | ";" | "&"))
    {
        words.truncate(i);
    }
    words
}

#[test]
fn every_konform_line_in_the_docs_parses() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    let mut docs: Vec<_> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let mut checked = 0;
    let mut bad = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable");
        for line in command_lines(&text) {
            checked += 1;
            if let Err(e) = Cli::try_parse_from(words(&line)) {
                let first = e.to_string().lines().next().unwrap_or("").to_string();
                bad.push(format!("{}: `{line}`: {first}", file.display()));
            }
        }
    }
    assert!(checked >= 10, "only {checked} command lines found");
    assert!(
        bad.is_empty(),
        "{} of {checked} lines do not parse:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn words_split_like_a_shell() {
    assert_eq!(
        words("konform run --case 'A b' --tag \"x y\"  # why"),
        ["konform", "run", "--case", "A b", "--tag", "x y"]
    );
    assert_eq!(
        words("konform spec list | head"),
        ["konform", "spec", "list"]
    );
}
