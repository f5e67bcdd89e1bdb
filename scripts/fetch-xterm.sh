#!/bin/sh
# Fetches the terminal emulator the browser console shows a Host's shell with: xterm.js, the exact npm
# version below, checked against the integrity hash npm published for it, and copies the two files the
# page loads and the licence into the console bundle's resources (committed: building and running Tandem
# needs only Java and Maven; this script is for moving to another version, and for checking that the
# committed files are the published ones: `scripts/fetch-xterm.sh --check`).
# xterm.js is on npm only (no WebJar on Maven Central for @xterm/xterm 6), hence this script.
set -eu
VERSION=6.0.0
INTEGRITY=sha512-TQwDdQGtwwDt+2cgKDLn0IRaSxYu1tSUjgKarSDkUM0ZNiSRXFpjxEsvc/Zgc5kq5omJ+V0a8/kIM2WD3sMOYg==
URL=https://registry.npmjs.org/@xterm/xterm/-/xterm-$VERSION.tgz
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST=$ROOT/bundles/org.tandemrc.webconsole/src/main/resources/xterm
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

curl -fsSL --max-time 120 -o "$TMP/xterm.tgz" "$URL"
GOT=sha512-$(openssl dgst -sha512 -binary "$TMP/xterm.tgz" | base64 -w0)
if [ "$GOT" != "$INTEGRITY" ]; then
    echo "fetch-xterm: $URL is not the published @xterm/xterm $VERSION (integrity $GOT)" >&2
    exit 1
fi
tar -xzf "$TMP/xterm.tgz" -C "$TMP" package/lib/xterm.js package/css/xterm.css package/LICENSE package/package.json
grep -q "\"version\": \"$VERSION\"" "$TMP/package/package.json"
if [ "${1:-}" = "--check" ]; then
    for f in lib/xterm.js css/xterm.css LICENSE; do
        cmp "$TMP/package/$f" "$DEST/$f" || { echo "fetch-xterm: $DEST/$f differs from the published $f" >&2; exit 1; }
    done
    echo "fetch-xterm: the committed files are @xterm/xterm $VERSION as published"
    exit 0
fi
mkdir -p "$DEST/lib" "$DEST/css"
cp "$TMP/package/lib/xterm.js" "$DEST/lib/xterm.js"
cp "$TMP/package/css/xterm.css" "$DEST/css/xterm.css"
cp "$TMP/package/LICENSE" "$DEST/LICENSE"
echo "$VERSION" > "$DEST/VERSION"
echo "fetch-xterm: @xterm/xterm $VERSION (integrity checked) in $DEST"
