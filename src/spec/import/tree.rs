//! Field trees from table rows: every layout reads its tables into flat [`Row`]s carrying a
//! depth (the number of `-` markers) and this module nests them. A row whose parent is missing
//! (a left-over row of an older table) is dropped, and a row that skips a level is attached to
//! the nearest shallower row; both are said in the method's inferences.

use crate::spec::model::{Field, FieldLocation, Occurs};

use super::text::Details;

/// One table row, as read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// The line the row starts on (1-based).
    pub line: usize,
    pub depth: usize,
    pub name: String,
    pub former_name: Option<String>,
    pub location: FieldLocation,
    pub type_name: Option<String>,
    pub details: Details,
    pub occurs: Occurs,
    pub description: Option<String>,
    /// Where the row stands (a span the importer quotes later).
    pub at: Option<crate::spec::provenance::Provenance>,
}

impl Row {
    pub fn into_field(self) -> Field {
        Field {
            name: self.name,
            former_name: self.former_name,
            location: self.location,
            type_name: self.type_name,
            base: self.details.base,
            occurs: self.occurs,
            pattern: self.details.pattern,
            length: self.details.length,
            min_inclusive: self.details.min_inclusive,
            max_inclusive: self.details.max_inclusive,
            description: self.description,
            children: Vec::new(),
            at: self.at,
        }
    }
}

/// Nests rows by depth. `what` names the table in inference notes ("input", "output").
pub(crate) fn build(rows: Vec<Row>, what: &str, inferences: &mut Vec<String>) -> Vec<Field> {
    let mut roots: Vec<Field> = Vec::new();
    let mut stack: Vec<(usize, Field)> = Vec::new();
    let mut dropped: Vec<String> = Vec::new();

    fn pop_into(stack: &mut Vec<(usize, Field)>, roots: &mut Vec<Field>) {
        if let Some((_, field)) = stack.pop() {
            match stack.last_mut() {
                Some((_, parent)) => parent.children.push(field),
                None => roots.push(field),
            }
        }
    }

    for row in rows {
        let depth = row.depth;
        while stack.last().is_some_and(|(d, _)| *d >= depth) {
            pop_into(&mut stack, &mut roots);
        }
        if depth > 0 && stack.is_empty() {
            dropped.push(format!("{} (line {})", row.name, row.line));
            continue;
        }
        if let Some((parent_depth, parent)) = stack.last()
            && depth > parent_depth + 1
        {
            inferences.push(format!(
                "{what}: {} (line {}) is marked {depth} levels deep directly below {} ({} levels); \
                 a level is missing in the excerpt, so it is placed under {}",
                row.name, row.line, parent.name, parent_depth, parent.name
            ));
        }
        stack.push((depth, row.into_field()));
    }
    while !stack.is_empty() {
        pop_into(&mut stack, &mut roots);
    }
    if !dropped.is_empty() {
        inferences.push(format!(
            "{what}: rows without a parent row (left over from an older table) are dropped: {}",
            dropped.join(", ")
        ));
    }
    roots
}

/// Every field of a tree mutably, depth first, with the name of its parent (`""` at the top).
pub(crate) fn walk_mut(fields: &mut [Field], parent: &str, f: &mut dyn FnMut(&str, &mut Field)) {
    for field in fields {
        f(parent, field);
        let name = field.name.clone();
        walk_mut(&mut field.children, &name, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: usize, depth: usize, name: &str) -> Row {
        Row {
            line,
            depth,
            name: name.into(),
            former_name: None,
            location: FieldLocation::Body,
            type_name: None,
            details: Details::default(),
            occurs: Occurs::ONE,
            description: None,
            at: None,
        }
    }

    #[test]
    fn nests_by_depth() {
        let mut inf = Vec::new();
        let tree = build(
            vec![
                row(1, 0, "Request"),
                row(2, 1, "A"),
                row(3, 2, "A1"),
                row(4, 1, "B"),
                row(5, 0, "Other"),
            ],
            "input",
            &mut inf,
        );
        assert_eq!(tree.len(), 2);
        assert_eq!(tree[0].children.len(), 2);
        assert_eq!(tree[0].children[0].children[0].name, "A1");
        assert!(inf.is_empty());
    }

    #[test]
    fn orphans_are_dropped_and_jumps_noted() {
        let mut inf = Vec::new();
        let tree = build(
            vec![
                row(1, 1, "Orphan"),
                row(2, 2, "OrphanChild"),
                row(3, 0, "Root"),
                row(4, 2, "Deep"),
            ],
            "output",
            &mut inf,
        );
        assert_eq!(tree.len(), 1);
        assert_eq!(tree[0].children[0].name, "Deep");
        assert_eq!(inf.len(), 2, "{inf:?}");
        assert!(inf[1].contains("Orphan (line 1)"));
    }
}
