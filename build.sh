#!/usr/bin/env bash
# Lectern's one build script. Installs what is missing (idempotent, quick when
# everything is present), builds, and runs, tests, packages or benchmarks.
#
#   ./build.sh serve [DIR] [--port N]   build, then serve the reading list (default: samples/)
#   ./build.sh test                     every test: native, WASM in headless Chromium, end-to-end
#   ./build.sh dist                     self-contained dist/web/ (and the other targets)
#   ./build.sh wasm                     only build the two WebAssembly modules into www/pkg/ and print their sizes
#   ./build.sh bench [--suite a,b] [--rounds N] [--quick]
#                                       benchmark against the peers in headless Chromium (size, sanitize,
#                                       ingest, load, search, and static collections at 10k and 100k
#                                       articles against Pagefind): writes bench/results/*.json and
#                                       chart.svg, prints the table of goals
#   ./build.sh fuzz [SECONDS]           run every cargo-fuzz target SECONDS each (default 600); not part of test
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$(pwd)
export LECTERN_SHARED="${LECTERN_SHARED:-$ROOT/../shared}"
CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $* (install it yourself, or run as root)"
  fi
}

# --- installs -----------------------------------------------------------------

ensure_wasm_target() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "installing the Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

wasm_bindgen_version() {
  # The exact version Cargo.lock pins: the CLI must match it.
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_lockfile() {
  [ -f Cargo.lock ] || cargo generate-lockfile
}

ensure_wasm_bindgen() {
  ensure_lockfile
  local want have
  want=$(wasm_bindgen_version)
  [ -n "$want" ] || die "cannot find the wasm-bindgen version in Cargo.lock"
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (have: ${have:-none}); this takes a few minutes once"
    # Not --locked: the registry mirror lacks some of the CLI's locked dependency versions.
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

ensure_npm() {
  command -v npm >/dev/null 2>&1 || die "npm is missing: install Node.js 20 or newer"
  # Reinstall when package.json or the lockfile changed since the last install.
  local stamp=node_modules/.lectern-installed
  if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || { [ -f package-lock.json ] && [ package-lock.json -nt "$stamp" ]; }; then
    say "installing npm packages (package.json)"
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
    touch "$stamp"
  fi
}

ensure_chromium() {
  local packages=()
  { [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ]; } || packages+=(chromium chromium-driver)
  # Fonts for Chinese, Japanese, Korean, Arabic and Hebrew, so pages and screenshots show text, not boxes.
  fc-list :lang=zh 2>/dev/null | grep -q . || packages+=(fonts-noto-cjk)
  fc-list :lang=ar 2>/dev/null | grep -q . || packages+=(fonts-noto-core)
  if [ ${#packages[@]} -gt 0 ]; then
    say "installing Debian packages: ${packages[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}"
  fi
}

# ensure_debian_command COMMAND PACKAGE WHY: installs Debian's PACKAGE when COMMAND is missing.
ensure_debian_command() {
  if ! command -v "$1" >/dev/null 2>&1; then
    say "installing Debian's $2 ($3)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2"
  fi
}

ensure_zip() { ensure_debian_command zip zip 'to pack the extension'; }

ensure_shared() {
  [ -d "$LECTERN_SHARED/corpus" ] || die "shared test data not found at $LECTERN_SHARED (tests read ../shared in place; set LECTERN_SHARED)"
}

ensure_twiggy() {
  # The size profile of the .wasm (bench).
  if ! command -v twiggy >/dev/null 2>&1; then
    say "installing twiggy (WASM size profiler); this takes a few minutes once"
    cargo install twiggy
  fi
}

ensure_pagefind() {
  # npm's pagefind installs its platform binaries as an optional dependency.
  [ -x node_modules/@pagefind/linux-x64/bin/pagefind_extended ] \
    || die "Pagefind's extended binary is missing (node_modules/@pagefind/linux-x64/bin/pagefind_extended): the bench needs linux-x64; try 'rm -rf node_modules && npm ci'"
}

ensure_cargo_fuzz() {
  if ! command -v cargo-fuzz >/dev/null 2>&1; then
    say "installing cargo-fuzz; this takes a few minutes once"
    cargo install cargo-fuzz --locked
  fi
}

# cargo-fuzz needs a nightly compiler (-Zsanitizer, coverage flags). Without
# one (and no way to fetch it), stable accepts them with RUSTC_BOOTSTRAP=1.
FUZZ_CARGO=(cargo)
ensure_fuzz_toolchain() {
  if rustup run nightly rustc --version >/dev/null 2>&1 \
    || { say "installing the nightly toolchain for cargo-fuzz"; rustup toolchain install nightly --profile minimal >/dev/null 2>&1; }; then
    FUZZ_CARGO=(cargo +nightly)
  else
    say "no nightly toolchain available: using stable with RUSTC_BOOTSTRAP=1"
    export RUSTC_BOOTSTRAP=1
  fi
}

# --- builds -------------------------------------------------------------------

human() { numfmt --to=iec --suffix=B "$1" 2>/dev/null || echo "$1 B"; }

print_sizes() {
  local f raw gz br
  for f in "$@"; do
    raw=$(wc -c <"$f")
    gz=$(gzip -9c "$f" | wc -c)
    if command -v brotli >/dev/null 2>&1; then br=" brotli $(human "$(brotli -c -q 11 "$f" | wc -c)")"; else br=""; fi
    printf '    %-28s raw %-9s gzip %s%s\n' "$(basename "$f")" "$(human "$raw")" "$(human "$gz")" "$br" >&2
  done
}

# wasm-opt flags, chosen by measurement (bench/ab.mjs, the size suite): -O3 is as small as -Oz
# once gzipped (682 KB both) and 7-11 % faster; without wasm-opt the file gzips 25 KB smaller
# but runs 5-9 % slower. The size suite profiles with the same flags.
export WASM_OPT_FLAGS="-O3 --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int --enable-sign-ext --enable-multivalue --enable-mutable-globals"

# The three WebAssembly modules: the reader (crates/wasm-reader, every target
# loads it first), the ingest module (crates/wasm-ingest, fetched only to
# parse, in a Web Worker) and the feeds module (crates/wasm-feeds, fetched
# only to read a feed). Each becomes www/pkg/<name>.js and <name>_bg.wasm.
WASM_MODULES=(reader ingest feeds)

build_wasm() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_npm
  say "building the WebAssembly modules (profile wasm: size-tuned)"
  cargo build --target wasm32-unknown-unknown --profile wasm -p lectern-wasm-reader -p lectern-wasm-ingest -p lectern-wasm-feeds
  rm -f www/pkg/lectern.js www/pkg/lectern_bg.wasm www/pkg/lectern.d.ts www/pkg/lectern_bg.wasm.d.ts
  local module
  for module in "${WASM_MODULES[@]}"; do
    wasm-bindgen --target web --out-dir www/pkg --out-name "$module" \
      "target/wasm32-unknown-unknown/wasm/lectern_wasm_$module.wasm"
    # shellcheck disable=SC2086
    node_modules/.bin/wasm-opt $WASM_OPT_FLAGS --strip-debug --strip-producers \
      "www/pkg/${module}_bg.wasm" -o "www/pkg/${module}_bg.wasm"
  done
  vendor_js
  say "built www/pkg/ and www/vendor/ (wasm-opt from npm binaryen):"
  print_sizes www/pkg/reader_bg.wasm www/pkg/reader.js www/pkg/ingest_bg.wasm www/pkg/ingest.js www/pkg/feeds_bg.wasm www/pkg/feeds.js www/vendor/idb.js
}

# Browser dependencies from npm, copied as plain ES modules into www/vendor/
# (no bundler): the page imports them from there.
vendor_js() {
  ensure_npm
  mkdir -p www/vendor
  cp node_modules/idb/build/index.js www/vendor/idb.js
  cp node_modules/idb/LICENSE www/vendor/idb.LICENSE
  # PouchDB for Settings → Sync, loaded only when sync is turned on (its standalone build: no bundler here).
  cp node_modules/pouchdb/dist/pouchdb.min.js www/vendor/pouchdb.js
  cp node_modules/pouchdb/LICENSE www/vendor/pouchdb.LICENSE
}

build_native() {
  say "building the native CLI (release)"
  cargo build --release --bin lectern
}

# --- commands -----------------------------------------------------------------

cmd_serve() {
  build_wasm
  build_native
  exec target/release/lectern serve "$@"
}

cmd_test() {
  ensure_shared
  ensure_chromium
  build_wasm
  say "native tests (unit, integration, shared corpora and XSS suites, doc tests)"
  cargo test -- --nocapture
  say "WASM boundary tests of the three modules in headless Chromium (wasm-bindgen-test)"
  CHROMEDRIVER="$CHROMEDRIVER" WASM_BINDGEN_TEST_TIMEOUT=120 \
    cargo test --target wasm32-unknown-unknown -p lectern-wasm-reader -p lectern-wasm-ingest -p lectern-wasm-feeds
  build_native
  build_extension
  say "end-to-end tests in Chromium (Playwright)"
  LECTERN_BIN="$ROOT/target/release/lectern" node --test --test-concurrency=1 tests/e2e/
  say "all tests passed"
}

# The modules the reading list page loads (js/app.js and what it imports).
# The widget and the extension reuse them.
copy_shell() {
  local out=$1
  mkdir -p "$out/js" "$out/css" "$out/pkg" "$out/vendor"
  cp www/js/*.js "$out/js/"
  cp www/css/*.css "$out/css/"
  cp www/pkg/reader.js www/pkg/reader_bg.wasm www/pkg/ingest.js www/pkg/ingest_bg.wasm www/pkg/feeds.js www/pkg/feeds_bg.wasm "$out/pkg/"
  cp www/vendor/idb.js www/vendor/idb.LICENSE www/vendor/pouchdb.js www/vendor/pouchdb.LICENSE "$out/vendor/"
  # Only the demo page uses these.
  rm -f "$out/js/widget-demo.js" "$out/css/widget-demo.css" "$out/css/widget-demo-hostile.css"
}

# The widget's modules: what <lectern-reader> loads first, and the ingest
# worker it starts only for a plain folder of article files.
WIDGET_MODULES=(lectern-reader shared-collection static-list reader library collection list-view article-view html-sink ingest worker-urls i18n router dom)
WIDGET_ON_DEMAND=(ingest-worker)

# dist/widget/: what a site copies to embed <lectern-reader> (the element's
# module and the modules it imports, its style sheets, both WebAssembly
# modules) and README.md.
build_widget() {
  say "writing dist/widget/"
  rm -rf dist/widget
  mkdir -p dist/widget/js dist/widget/css dist/widget/pkg
  local module
  for module in "${WIDGET_MODULES[@]}" "${WIDGET_ON_DEMAND[@]}"; do
    cp "www/js/$module.js" dist/widget/js/
  done
  cp www/css/lectern-reader.css www/css/theme.css www/css/article-body.css dist/widget/css/
  cp www/pkg/reader.js www/pkg/reader_bg.wasm www/pkg/ingest.js www/pkg/ingest_bg.wasm dist/widget/pkg/
  cp www/widget/README.md dist/widget/README.md
  # Every module the element imports must be there (a missing one fails only in a browser).
  local missing
  missing=$(grep -ho "from '\./[a-z-]*\.js'" dist/widget/js/*.js | sed "s/from '\.\///; s/'//" | sort -u | while read -r m; do [ -f "dist/widget/js/$m" ] || echo "$m"; done)
  [ -z "$missing" ] || die "dist/widget/ lacks modules its element imports: $missing"
  say "the widget's transfer size (the element's modules and style sheets, and the WASM):"
  widget_sizes
}

# sum_sizes LABEL FILE...: one line with the files' raw and gzip -9 sizes added up.
sum_sizes() {
  local label=$1 raw=0 gz=0 f
  shift
  for f in "$@"; do
    raw=$((raw + $(wc -c <"$f"))); gz=$((gz + $(gzip -9c "$f" | wc -c)))
  done
  printf '    %-40s raw %-9s gzip %s\n' "$label" "$(human "$raw")" "$(human "$gz")" >&2
}

# What the widget downloads before its first list (its modules, style sheets
# and the reader module), and what it fetches only to parse a plain folder.
widget_sizes() {
  local first=() module
  for module in "${WIDGET_MODULES[@]}"; do first+=("dist/widget/js/$module.js"); done
  first+=(dist/widget/css/*.css dist/widget/pkg/reader.js)
  sum_sizes "modules + CSS + reader glue (${#first[@]} files)" "${first[@]}"
  print_sizes dist/widget/pkg/reader_bg.wasm
  sum_sizes "first load in all" "${first[@]}" dist/widget/pkg/reader_bg.wasm
  sum_sizes "on demand: ingest worker and module" dist/widget/js/ingest-worker.js dist/widget/pkg/ingest.js dist/widget/pkg/ingest_bg.wasm
}

# dist/extension/ (unpacked, for "Load unpacked") and dist/lectern-extension.zip.
build_extension() {
  say "writing dist/extension/ and dist/lectern-extension.zip"
  rm -rf dist/extension dist/lectern-extension.zip
  mkdir -p dist/extension/extension
  copy_shell dist/extension
  # The reading list page as it is; no service worker or web manifest in an extension.
  cp www/index.html www/favicon.svg www/manifest.webmanifest dist/extension/
  rm -f dist/extension/js/lectern-reader.js dist/extension/css/lectern-reader.css
  cp www/extension/manifest.json dist/extension/manifest.json
  cp www/extension/*.js dist/extension/extension/
  cp -R www/extension/icons dist/extension/icons
  node -e 'JSON.parse(require("fs").readFileSync("dist/extension/manifest.json", "utf8"))' \
    || die "www/extension/manifest.json is not valid JSON"
  ensure_zip
  (cd dist/extension && zip -q -r -X ../lectern-extension.zip .)
  print_sizes dist/lectern-extension.zip
}

cmd_dist() {
  build_wasm
  build_native
  say "writing dist/web/"
  rm -rf dist/web
  mkdir -p dist/web/collection/files
  cp -R www/. dist/web/
  rm -rf dist/web/extension dist/web/widget
  cp -R samples/. dist/web/collection/files/
  rm -f dist/web/collection/files/README.md
  target/release/lectern manifest samples >dist/web/collection/manifest.json
  say "dist/web/ is a static site: serve it with any static file server (widget-demo.html shows the widget)"
  print_sizes dist/web/pkg/reader_bg.wasm dist/web/pkg/ingest_bg.wasm
  build_widget
  build_extension
}

cmd_bench() {
  ensure_shared
  ensure_chromium
  ensure_twiggy
  build_wasm
  build_native
  ensure_pagefind
  ensure_debian_command /usr/bin/time time 'GNU time: peak memory of the index builds'
  say "benchmark (load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; other work on the machine makes figures noisy)"
  node bench/run.mjs "$@"
}

cmd_fuzz() {
  local seconds="${1:-600}"
  [[ "$seconds" =~ ^[0-9]+$ ]] || die "fuzz: SECONDS must be a whole number (got '$seconds')"
  ensure_shared
  ensure_cargo_fuzz
  ensure_fuzz_toolchain
  say "seeding fuzz/corpus/ from $LECTERN_SHARED (XSS suites and corpus, read in place)"
  node fuzz/seed.mjs
  local targets logs=fuzz/target/fuzz-logs summary=() found=0
  mapfile -t targets < <(cd fuzz && "${FUZZ_CARGO[@]}" fuzz list)
  [ "${#targets[@]}" -gt 0 ] || die "fuzz: no targets found in fuzz/"
  mkdir -p "$logs"
  # The .cargo/config.toml rustflags do not apply when RUSTFLAGS is set, as cargo-fuzz does.
  export RUSTFLAGS="${RUSTFLAGS:-} --cfg ammonia_unstable"
  for target in "${targets[@]}"; do
    say "fuzzing $target for ${seconds}s (log: $logs/$target.log)"
    local status=0
    "${FUZZ_CARGO[@]}" fuzz run --sanitizer "${LECTERN_FUZZ_SANITIZER:-none}" --debug-assertions "$target" -- \
      -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -dict=fuzz/html.dict -print_final_stats=1 >"$logs/$target.log" 2>&1 || status=$?
    local runs artifacts
    runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$logs/$target.log" | tail -n 1)
    artifacts=$(find "fuzz/artifacts/$target" -type f 2>/dev/null | wc -l)
    summary+=("$(printf '    %-16s %12s executions  %3s finding(s)  exit %s' "$target" "${runs:-?}" "$artifacts" "$status")")
    if [ "$status" -ne 0 ] || [ "$artifacts" -gt 0 ]; then
      found=1
      tail -n 30 "$logs/$target.log" >&2
    fi
  done
  say "fuzz summary (${seconds}s per target):"
  printf '%s\n' "${summary[@]}" >&2
  [ "$found" -eq 0 ] || die "fuzzing found problems: see fuzz/artifacts/ (each becomes a regression test)"
}

case "${1:-}" in
  serve) shift; cmd_serve "$@" ;;
  test) shift; cmd_test "$@" ;;
  dist) shift; cmd_dist "$@" ;;
  wasm) shift; build_wasm ;;
  bench) shift; cmd_bench "$@" ;;
  fuzz) shift; cmd_fuzz "$@" ;;
  ""|-h|--help|help)
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
    ;;
  *) die "unknown command '$1' (try: serve, test, dist, wasm, bench, fuzz)" ;;
esac
