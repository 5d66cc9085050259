// The package version, stamped from Cargo.toml by scripts/build.sh (tests check they agree).
export const VERSION = "__VERSION__";
