#!/usr/bin/env bash
# Rebuild the vendored GOV.UK Frontend bundle in static/govuk/ (committed, so
# nobody else needs Node). Re-runnable; the same lockfile gives the same output.
set -euo pipefail

FRONTEND_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="$(cd "$FRONTEND_DIR/.." && pwd)/static/govuk"
PKG_DIST="$FRONTEND_DIR/node_modules/govuk-frontend/dist/govuk"
ASSETS_URL="/static/govuk/assets/"   # must match $govuk-assets-path in src/app.scss

fail() { echo "build.sh: ERROR: $*" >&2; exit 1; }

cd "$FRONTEND_DIR"

# 1. Exact dependencies from package-lock.json. Install scripts are not needed
#    (the only one is @parcel/watcher, used by `sass --watch`).
npm ci --ignore-scripts --no-audit --no-fund

# 2. Fresh output directory.
rm -rf "$OUT_DIR"
mkdir -p "$OUT_DIR"

# 3. CSS: compressed, with an external source map (sources embedded, so the map
#    is useful without node_modules). Compiled straight into OUT_DIR so the
#    relative paths inside the map are the same in every clone.
#    GOV.UK Frontend 5.x is @import-based: silence its deprecation noise only.
./node_modules/.bin/sass \
  --load-path=node_modules \
  --style=compressed \
  --source-map --embed-sources --source-map-urls=relative \
  --no-error-css \
  --quiet-deps \
  --silence-deprecation=import \
  src/app.scss "$OUT_DIR/govuk-frontend.min.css"

# 4. JS: the package's prebuilt ES module bundle and its source map.
cp "$PKG_DIST/govuk-frontend.min.js" "$PKG_DIST/govuk-frontend.min.js.map" "$OUT_DIR/"

# 4b. Put each sourceMappingURL comment on its own line (no effect on the
#     mappings): Django's ManifestStaticFilesStorage only recognises it at the
#     start of a line, and then rewrites it to the hashed .map name.
sed -i -E 's@([^\n])(/\*# sourceMappingURL=)@\1\n\2@' "$OUT_DIR/govuk-frontend.min.css"
sed -i -E 's@([^\n])(//# sourceMappingURL=)@\1\n\2@' "$OUT_DIR/govuk-frontend.min.js"

# 5. Assets: copy only what the CSS references; refuse anything reserved for
#    GOV.UK (fonts, crest/crown, logotype, icons, favicons, manifest).
CSS="$OUT_DIR/govuk-frontend.min.css"
mapfile -t URLS < <(grep -o 'url([^)]*)' "$CSS" | sed -E 's/^url\(["'\'']?//; s/["'\'']?\)$//' | sort -u)
for url in "${URLS[@]}"; do
  case "$url" in
    data:*) continue ;;
    "$ASSETS_URL"*) rel="${url#"$ASSETS_URL"}" ;;
    *) fail "CSS references $url, which is outside $ASSETS_URL" ;;
  esac
  rel="${rel%%[?#]*}"
  case "$rel" in
    fonts/*|*crest*|*crown*|*logotype*|*govuk-icon*|*favicon*|*manifest*|*opengraph*)
      fail "CSS references $url, which is reserved for GOV.UK and must not be shipped" ;;
  esac
  [[ -f "$PKG_DIST/assets/$rel" ]] || fail "CSS references $url, not found in govuk-frontend's assets"
  mkdir -p "$(dirname "$OUT_DIR/assets/$rel")"
  cp "$PKG_DIST/assets/$rel" "$OUT_DIR/assets/$rel"
done

# 6. Checks.
for url in "${URLS[@]}"; do
  [[ "$url" == data:* ]] && continue
  rel="${url#"$ASSETS_URL"}"; rel="${rel%%[?#]*}"
  [[ -f "$OUT_DIR/assets/$rel" ]] || fail "referenced asset missing: $url"
done
grep -q 'font-face' "$CSS" && fail "compiled CSS contains @font-face"
grep -q 'GDS Transport' "$CSS" && fail "compiled CSS mentions GDS Transport"
for f in govuk-frontend.min.css govuk-frontend.min.js; do
  ref="$(grep -o 'sourceMappingURL=[^ */]*' "$OUT_DIR/$f" | tail -n 1 | cut -d= -f2)"
  [[ "$ref" == "$f.map" ]] || fail "$f: expected sourceMappingURL=$f.map, got '${ref}'"
  [[ -f "$OUT_DIR/$ref" ]] || fail "$f: source map $ref missing"
done
if find "$OUT_DIR" -type f \( -iname '*.woff*' -o -iname '*.ttf' -o -iname '*.eot' \
      -o -iname '*crest*' -o -iname '*crown*' -o -iname '*logotype*' -o -iname '*govuk-icon*' \
      -o -iname '*favicon*' -o -iname 'manifest.json' -o -iname '*opengraph*' \) | grep -q .; then
  fail "reserved GOV.UK font or brand file found in $OUT_DIR"
fi

echo "Built $OUT_DIR:"
(cd "$OUT_DIR" && find . -type f | sort | xargs ls -l | awk '{print "  " $5 "\t" $9}')
