//! Replays every fuzz target's seeds (`fuzz/seeds/<target>/`) and every input that once made a
//! target fail (`fuzz/regressions/<target>/`) through the same harness the fuzzer runs
//! (`fuzz/src/lib.rs`), natively and without the sanitizer. A crash file from
//! `target/fuzz/artifacts/<target>/` becomes a regression test by copying it into
//! `fuzz/regressions/<target>/`.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../fuzz/src/lib.rs"]
mod harness;

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.is_file() && !p.ends_with(".gitkeep"))
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    out
}

/// Runs `target` on each of its seeds and regression inputs; a failure names the file.
fn replay(target: &str) {
    let run = harness::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, f)| *f)
        .expect("a harness target");
    let seeds = files(&root().join("fuzz/seeds").join(target));
    assert!(!seeds.is_empty(), "fuzz/seeds/{target}/ is empty");
    for path in seeds
        .iter()
        .chain(&files(&root().join("fuzz/regressions").join(target)))
    {
        let data = std::fs::read(path).expect("readable input");
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            panic!("fuzz target `{target}` fails on {}", path.display());
        }
    }
}

#[test]
fn form() {
    replay("form");
}

#[test]
fn json() {
    replay("json");
}

#[test]
fn response() {
    replay("response");
}

#[test]
fn ping() {
    replay("ping");
}

#[test]
fn worker() {
    replay("worker");
}

#[test]
fn ledger() {
    replay("ledger");
}

/// The ledger seeds are stored ledgers of this build: a seed the harness cannot restore would
/// exercise nothing past its first line.
#[test]
fn ledger_seeds_restore() {
    for path in files(&root().join("fuzz/seeds/ledger")) {
        let text = std::fs::read_to_string(&path).expect("a text seed");
        let body = text.split_once("\n\n").map(|(_, b)| b).unwrap_or_default();
        assert!(
            harness::restore(body).is_some(),
            "{} does not restore",
            path.display()
        );
    }
}

#[test]
fn request() {
    replay("request");
}

/// Every harness target has a cargo-fuzz binary and seeds, and every binary a test above.
#[test]
fn targets_agree() {
    let manifest =
        std::fs::read_to_string(root().join("fuzz/Cargo.toml")).expect("fuzz/Cargo.toml");
    let bins: Vec<String> = files(&root().join("fuzz/fuzz_targets"))
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    let names: Vec<String> = harness::TARGETS
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(bins, sorted);
    let this =
        std::fs::read_to_string(root().join("tests/fuzz_regressions.rs")).expect("this file");
    for name in &names {
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "{name} in fuzz/Cargo.toml"
        );
        assert!(
            this.contains(&format!("replay(\"{name}\")")),
            "{name} replayed here"
        );
        assert!(
            root().join("fuzz/seeds").join(name).is_dir(),
            "fuzz/seeds/{name}/"
        );
    }
}
