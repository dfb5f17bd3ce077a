# shellcheck shell=bash
# Installs the tools that building and testing Probe Playground need, each only when it is missing or
# at the wrong version, so that a second run costs a few version checks. Sourced by scripts/serve and
# scripts/test; the caller has `set -euo pipefail` in force.
#
# Everything comes from package registries by name (crates.io, npm, Debian): no step downloads a
# prebuilt binary, so the same steps work on a machine that reaches nothing else.
#
# Each `*_wanted` function only inspects the machine and answers through its exit status (0: an
# install is needed), so the decisions can be checked without installing anything.

# The Trunk release the web build is made and tested with.
TRUNK_VERSION=0.21.14

# Where Debian's Chromium lands; the browser tests drive it.
CHROMIUM_BIN=${CHROMIUM_BIN:-/usr/bin/chromium}

# `cargo install` puts binaries here; a shell started without it on PATH must still find them.
CARGO_BIN_DIR=${CARGO_HOME:-$HOME/.cargo}/bin
case ":$PATH:" in
  *":$CARGO_BIN_DIR:"*) ;;
  *) PATH=$CARGO_BIN_DIR:$PATH ;;
esac
export PATH

say() { printf '\n==> %s\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }
die() {
  printf '\nerror: %s\n' "$*" >&2
  exit 1
}

# Fails unless every named command is on PATH, saying what provides it.
require_commands() {
  local cmd missing=()
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
  done
  if ((${#missing[@]})); then
    die "missing: ${missing[*]}. Install Rust with rustup (cargo, rustup) and Node.js 20 with npm first."
  fi
}

# The exact wasm-bindgen version in Cargo.lock: the CLI must match the library byte for byte in its
# output format, so it is read from the lock file rather than written down twice.
wasm_bindgen_lock_version() {
  local lock=${1:-Cargo.lock}
  [[ -f $lock ]] || die "$lock not found: run from the repository root"
  awk '
    $0 == "name = \"wasm-bindgen\"" { found = 1; next }
    found && /^version = / { gsub(/"/, "", $3); print $3; exit }
  ' "$lock"
}

wasm_target_wanted() {
  # The list is captured first: with pipefail, `grep -q` closing the pipe early could fail rustup.
  local installed
  installed=$(rustup target list --installed 2>/dev/null) || return 0
  ! grep -qx 'wasm32-unknown-unknown' <<<"$installed"
}

trunk_wanted() {
  [[ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]]
}

# $1: the version wanted.
wasm_bindgen_wanted() {
  [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $1" ]]
}

# npm records what it installed in node_modules/.package-lock.json as its last step, so no record means
# the tree is missing or incomplete, and a record older than package-lock.json may be stale. A checkout
# also makes package-lock.json look new, so an older record is compared with it before reinstalling.
node_modules_wanted() {
  [[ -f node_modules/.package-lock.json ]] || return 0
  [[ package-lock.json -nt node_modules/.package-lock.json ]] || return 1
  ! node_modules_match_lock
}

# Whether node_modules holds exactly the versions package-lock.json names: every package npm installed
# is in the lock at that version, and every package of the lock is installed, except optional ones
# (esbuild's builds for other platforms).
node_modules_match_lock() {
  node -e '
    const lock = require("./package-lock.json").packages || {};
    const have = require("./node_modules/.package-lock.json").packages || {};
    const same = (a, b) => a && b && a.version === b.version && a.integrity === b.integrity;
    const ok = Object.keys(have).every((k) => same(have[k], lock[k])) &&
      Object.keys(lock).every((k) => k === "" || lock[k].optional || k in have);
    process.exit(ok ? 0 : 1);
  ' 2>/dev/null
}

chromium_wanted() {
  [[ ! -x $CHROMIUM_BIN ]]
}

ensure_wasm_target() {
  if wasm_target_wanted; then
    say "Adding the wasm32-unknown-unknown target to the Rust toolchain"
    rustup target add wasm32-unknown-unknown ||
      die "rustup could not add the wasm32-unknown-unknown target, which the web build needs"
  fi
}

ensure_trunk() {
  if trunk_wanted; then
    say "Installing trunk $TRUNK_VERSION (found: $(trunk --version 2>/dev/null || echo none))"
    cargo install trunk --version "$TRUNK_VERSION" --locked ||
      die "cargo could not install trunk $TRUNK_VERSION"
  fi
}

ensure_wasm_bindgen() {
  local version
  version=$(wasm_bindgen_lock_version Cargo.lock)
  [[ -n $version ]] || die "Cargo.lock names no wasm-bindgen version; run 'cargo generate-lockfile'"
  if wasm_bindgen_wanted "$version"; then
    say "Installing wasm-bindgen-cli $version to match Cargo.lock (found: $(wasm-bindgen --version 2>/dev/null || echo none))"
    # Not --locked: the CLI's own lock file has pinned crates that newer compilers reject.
    cargo install wasm-bindgen-cli --version "$version" ||
      die "cargo could not install wasm-bindgen-cli $version"
  fi
}

ensure_node_modules() {
  if node_modules_wanted; then
    say "Installing the npm packages of package-lock.json (npm ci)"
    npm ci --no-audit --no-fund || die "npm ci failed"
  fi
}

ensure_chromium() {
  if chromium_wanted; then
    say "Installing Debian's Chromium for the browser tests"
    local sudo=()
    if ((EUID != 0)); then
      command -v sudo >/dev/null 2>&1 ||
        die "$CHROMIUM_BIN is missing and installing it needs root: run 'apt-get install chromium' as root"
      sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends chromium ||
      die "apt-get could not install chromium"
    [[ -x $CHROMIUM_BIN ]] || die "chromium was installed but $CHROMIUM_BIN is still missing"
  fi
}

# Everything the web build needs: the wasm target, Trunk, the matching wasm-bindgen and the npm tools
# (the editor bundle's esbuild and binaryen's wasm-opt).
ensure_web_tools() {
  require_commands cargo rustup node npm
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
  ensure_node_modules
}

# The site for hosting, in dist/: Trunk's release build, then its WebAssembly module split in two so
# that the page first downloads only what its first screen runs (scripts/lib/split-site.mjs, which
# opens the site in Chromium to learn what that is).
build_site() {
  with_node_bin trunk build --release --offline || die "trunk build failed"
  ensure_chromium
  node scripts/lib/split-site.mjs dist || die "splitting the module failed"
}

# Trunk must find the npm-installed wasm-opt (the version Trunk.toml pins) before any other.
with_node_bin() {
  PATH="$PWD/node_modules/.bin:$PATH" "$@"
}
