//! Reading a YAML file into a type with one error shape: the file, and for a parse error the
//! line and column the YAML library reports with the first line of its message. Used by spec
//! loading, target profiles, citizen pools and waiver files, so every input file's problems
//! read alike (`specs/overlay.yaml:12:3: unknown field ...`). The main entry point is
//! [`read_yaml`]. Files are read through [`crate::input`] (regular files, size-capped).
//!
//! Case files are read differently (`case::node` keeps a position for every node, so the
//! planner can point at the line of a field it rejects).

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// Why a YAML file could not be read into its type.
#[derive(Debug, thiserror::Error)]
pub enum YamlError {
    /// The file could not be read; `what` names the kind of file (`waiver file`).
    #[error("cannot read {what} {}: {source}", path.display())]
    Read {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// The text is not YAML of the expected shape. Line and column are 1-based, where the
    /// YAML library gives them (shown as 0 where it does not).
    #[error("{}:{}:{}: {message}", path.display(), line.unwrap_or(0), column.unwrap_or(0))]
    Parse {
        path: PathBuf,
        line: Option<u64>,
        column: Option<u64>,
        message: String,
    },
}

impl YamlError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            YamlError::Read { path, .. } | YamlError::Parse { path, .. } => path,
        }
    }
}

/// Reads `path` and deserialises it as `T`. `what` names the kind of file in a read error.
pub fn read_yaml<T: DeserializeOwned>(path: &Path, what: &'static str) -> Result<T, YamlError> {
    let text = crate::input::read_to_string(path).map_err(|source| YamlError::Read {
        what,
        path: path.into(),
        source,
    })?;
    parse_yaml(path, &text)
}

/// Deserialises `text`, read from `path`, as `T`.
pub fn parse_yaml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, YamlError> {
    serde_saphyr::from_str(text).map_err(|e| {
        let loc = e.location();
        YamlError::Parse {
            path: path.into(),
            line: loc.map(|l| l.line()),
            column: loc.map(|l| l.column()),
            message: e.to_string().lines().next().unwrap_or_default().to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Pair {
        #[expect(dead_code, reason = "only parsing is under test")]
        a: u32,
    }

    #[test]
    fn a_parse_error_names_file_line_and_column() {
        let err = parse_yaml::<Pair>(Path::new("x.yaml"), "a: 1\nb: 2\n").unwrap_err();
        let YamlError::Parse { line, column, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!((*line, *column), (Some(2), Some(1)));
        let text = err.to_string();
        assert!(text.starts_with("x.yaml:2:1: "), "{text}");
        assert!(text.contains('b'), "{text}");
        assert!(!text.contains('\n'), "{text}");
    }

    #[test]
    fn a_missing_file_is_a_read_error_naming_the_kind() {
        let err = read_yaml::<Pair>(Path::new("/nonexistent/p.yaml"), "waiver file").unwrap_err();
        assert!(matches!(err, YamlError::Read { .. }));
        assert!(
            err.to_string()
                .starts_with("cannot read waiver file /nonexistent/p.yaml: "),
            "{err}"
        );
        assert_eq!(err.path(), Path::new("/nonexistent/p.yaml"));
    }

    #[test]
    fn good_yaml_reads() {
        assert!(parse_yaml::<Pair>(Path::new("x.yaml"), "a: 1\n").is_ok());
    }
}
