//! Reading the files a user hands konform (profiles, case files, waivers, citizen pools, specs,
//! reports): regular files only, within a size cap, so `/dev/zero` as a profile or a FIFO as a
//! case file is a clear error instead of a hang or an exhausted memory. The main entry point is
//! [`read_text`].

use std::io::Read;
use std::path::Path;

/// The largest input file read (a report of a large run is the biggest legitimate input).
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Why an input file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("not a regular file (a {0}); konform reads only regular files")]
    NotAFile(&'static str),
    #[error("larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("{0}")]
    Encoding(String),
}

/// Reads a regular file of at most [`MAX_INPUT_BYTES`] as UTF-8 text (a UTF-8 byte order mark
/// is dropped; UTF-16 is named as such).
pub fn read_text(path: &Path) -> Result<String, InputError> {
    read_text_capped(path, MAX_INPUT_BYTES)
}

/// [`read_text`] as a drop-in for `std::fs::read_to_string`: the error is an
/// [`std::io::Error`] whose message says what was wrong.
pub fn read_to_string(path: &Path) -> std::io::Result<String> {
    read_text(path).map_err(std::io::Error::from)
}

impl From<InputError> for std::io::Error {
    fn from(e: InputError) -> std::io::Error {
        match e {
            InputError::Io(io) => io,
            other => std::io::Error::new(std::io::ErrorKind::InvalidData, other.to_string()),
        }
    }
}

/// [`read_text`] with another cap.
pub fn read_text_capped(path: &Path, limit: u64) -> Result<String, InputError> {
    let bytes = read_bytes_capped(path, limit)?;
    decode(bytes)
}

/// Reads a regular file of at most `limit` bytes. The kind of file is checked before it is
/// opened (opening a FIFO blocks until a writer comes), and the read stops past the limit
/// whatever the file's declared length says (a file may grow, `/proc` files declare 0).
pub fn read_bytes_capped(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let meta = std::fs::metadata(path)?;
    let kind = meta.file_type();
    if !kind.is_file() {
        return Err(InputError::NotAFile(describe(&kind)));
    }
    if meta.len() > limit {
        return Err(InputError::TooLarge { limit });
    }
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Text from bytes: UTF-8, a leading byte order mark dropped; UTF-16 and invalid UTF-8 are
/// errors naming the encoding and the byte.
pub fn decode(bytes: Vec<u8>) -> Result<String, InputError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(InputError::Encoding(
            "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8".into(),
        ));
    }
    let bytes = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        InputError::Encoding(format!(
            "the file is not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

fn describe(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "FIFO";
        }
        if kind.is_char_device() {
            return "character device";
        }
        if kind.is_block_device() {
            return "block device";
        }
        if kind.is_socket() {
            return "socket";
        }
    }
    if kind.is_dir() {
        "folder"
    } else {
        "special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("konform-input-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    #[test]
    fn refuses_devices_folders_and_oversized_files() {
        #[cfg(unix)]
        assert!(matches!(
            read_text(Path::new("/dev/zero")),
            Err(InputError::NotAFile("character device"))
        ));
        assert!(matches!(
            read_text(&std::env::temp_dir()),
            Err(InputError::NotAFile("folder"))
        ));
        let big = temp("big.yaml");
        std::fs::write(&big, vec![b'a'; 2000]).unwrap();
        assert!(matches!(
            read_text_capped(&big, 1000),
            Err(InputError::TooLarge { limit: 1000 })
        ));
        assert_eq!(read_text_capped(&big, 2000).unwrap().len(), 2000);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let fifo = temp("fifo.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this machine
        }
        assert!(matches!(
            read_text(&fifo),
            Err(InputError::NotAFile("FIFO"))
        ));
    }

    #[test]
    fn names_the_encoding() {
        assert_eq!(decode(b"\xEF\xBB\xBFname: x".to_vec()).unwrap(), "name: x");
        let e = decode(b"\xFF\xFEn\0".to_vec()).unwrap_err().to_string();
        assert!(e.contains("UTF-16"), "{e}");
        let e = decode(b"ab\xC3".to_vec()).unwrap_err().to_string();
        assert!(e.contains("not UTF-8") && e.contains("offset 2"), "{e}");
    }
}
