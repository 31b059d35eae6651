//! Builds the shipped spec and case corpus into the binary: every file below `specs/` and
//! `cases/` becomes an entry of `$OUT_DIR/shipped.rs` (`include_bytes!` of its absolute path),
//! so `konform` runs from any folder (`src/shipped.rs` writes them out once per version).

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut code = String::from(
        "/// Every shipped file: its path below the package root, and its bytes.\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for top in ["specs", "cases"] {
        println!("cargo:rerun-if-changed={top}");
        let mut files = Vec::new();
        collect(&manifest.join(top), &mut files);
        for file in files {
            let rel = file
                .strip_prefix(&manifest)
                .expect("below the package root")
                .to_string_lossy()
                .replace('\\', "/");
            code.push_str(&format!(
                "    ({rel:?}, include_bytes!({:?})),\n",
                file.to_string_lossy()
            ));
        }
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("shipped.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
