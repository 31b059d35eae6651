//! `konform run --list`: the cases a run would run (after the filters and the shard), one a
//! line (`Service/id  file:line  title`), or with `--json` an array of objects with the same
//! facts, for scripts. The ids are service-qualified: `--case` takes them as printed.

use std::io::Write;
use std::sync::Arc;

use serde::Serialize;

use konform::plan::PlannedCase;
use konform::run::filter::qualified_id;

/// One listed case.
#[derive(Debug, Serialize)]
struct Listed<'a> {
    service: &'a str,
    method: &'a str,
    id: &'a str,
    /// `Service/id`: what `--case` takes to choose this case alone.
    qualified_id: String,
    title: &'a str,
    tags: &'a [String],
    caller: &'a str,
    file: &'a str,
    line: usize,
    generated: bool,
}

pub fn print(cases: &[Arc<PlannedCase>], json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let listed: Vec<Listed> = cases
        .iter()
        .map(|p| {
            let c = &p.case;
            Listed {
                service: &c.service,
                method: &c.method,
                id: &c.id,
                qualified_id: qualified_id(&c.service, &c.id),
                title: &c.title,
                tags: &c.tags,
                caller: &p.caller,
                file: &c.origin.file,
                line: c.origin.line,
                generated: c.origin.generated,
            }
        })
        .collect();
    if json {
        serde_json::to_writer_pretty(&mut *out, &listed)?;
        writeln!(out)?;
        return Ok(());
    }
    let width = listed
        .iter()
        .map(|l| l.qualified_id.chars().count())
        .max()
        .unwrap_or(0);
    for l in &listed {
        let origin = if l.generated {
            l.file.to_string()
        } else {
            format!("{}:{}", l.file, l.line)
        };
        writeln!(out, "{:<width$}  {origin}  {}", l.qualified_id, l.title)?;
    }
    writeln!(out, "{} case(s)", listed.len())?;
    Ok(())
}
