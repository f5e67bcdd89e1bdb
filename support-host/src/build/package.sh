#!/bin/sh
# Builds the temporary Host download: the Tandem distribution cut to the temporary Host's features, a
# Java runtime cut with jlink to the modules they need, packed as one self-extracting sh script.
# Usage: package.sh JDK FULL_DIST WORK OUT MODULES FEATURES BUNDLES
#   JDK       the JDK whose jlink and jmods make the runtime
#   FULL_DIST the launcher's distribution (the tarball unpacked)
#   WORK      an empty folder to build in
#   OUT       the download to write
#   MODULES   the runtime's modules, comma-separated
#   FEATURES  the feature files shipped, space-separated
#   BUNDLES   file-name patterns of the bundles of system/ shipped, space-separated
set -eu
jdk=$1 full=$2 work=$3 out=$4 modules=$5 features=$6 bundles=$7
here=$(dirname "$0")
# Without jmods the rest of the build (and `tandem start`) still works: only this download is missing,
# which SupportHostIT then reports as a failure.
[ -e "$jdk/jmods/java.base.jmod" ] || {
  echo "package: WARNING: $jdk has no jmods/ for jlink, so the temporary Host download is not built (Debian:" \
    "apt-get install openjdk-17-jdk-headless; or -Dsupport.host.jdk=JDK)" >&2
  rm -f "$out"
  exit 0
}
rm -rf "$work"
mkdir -p "$work/tandem/system" "$work/tandem/features" "$work/tandem/etc" "$work/tandem/deploy"
cp -p -r "$full/lib" "$full/bin" "$full/VERSION" "$work/tandem/"
for f in $features; do cp "$full/features/$f.feature" "$work/tandem/features/"; done
for b in $bundles; do
  n=0
  for jar in "$full"/system/$b; do
    [ -f "$jar" ] || { echo "package: no bundle $b in $full/system" >&2; exit 1; }
    cp "$jar" "$work/tandem/system/"
    n=$((n + 1))
  done
  [ "$n" -eq 1 ] || { echo "package: $b names $n bundles, not one" >&2; exit 1; }
done
cp "$full/etc/org.apache.felix.fileinstall-deploy.cfg" "$here/../dist/etc/"* "$work/tandem/etc/"

# The modules are written down, not computed, so that a change shows in review; jdeps checks that the
# launcher and every shipped bundle need no other (what jdeps cannot see, such as the JDK's Ed25519 and
# EC provider in jdk.crypto.ec that WebConnect's TLS and pairing tokens look up by name, is in the list
# with its reason in pom.xml).
jars=$(ls "$work/tandem/lib/"*.jar "$work/tandem/system/"*.jar)
# shellcheck disable=SC2086
needed=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 $jars)
for m in $(echo "$needed" | tr ',' ' '); do
  case ",$modules," in *",$m,"*) ;; *) echo "package: the shipped jars need the module $m (jdeps: $needed); add it to support.host.modules" >&2; exit 1;; esac
done
# Not compressed inside: the download is gzipped as a whole, and gzip packs an uncompressed module image
# into less (about 26 MB against 32) and the JVM starts without inflating it.
"$jdk/bin/jlink" --module-path "$jdk/jmods" --add-modules "$modules" --strip-debug --no-header-files \
  --no-man-pages --compress=0 --output "$work/runtime"

# The cut must resolve with the cut runtime, feature by feature, as the launcher's own check does.
"$work/runtime/bin/java" -cp "$work/tandem/lib/tandem-launcher.jar:$work/tandem/lib/*" \
  org.tandemrc.launcher.FeatureCheck "$work/tandem"

version=$(cat "$full/VERSION")
java_version=$("$work/runtime/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
unpacked_kb=$(du -sk "$work/runtime" "$work/tandem" | awk '{s += $1} END {print s}')
payload=$work/payload.tar.gz
(cd "$work" && tar --sort=name --owner=0 --group=0 --numeric-owner -cf - runtime tandem) | gzip -6n > "$payload"
sed -e "s/@VERSION@/$version/g" -e "s/@JAVA_VERSION@/$java_version/g" -e "s/@UNPACKED_KB@/$unpacked_kb/g" \
  "$here/header.sh" > "$work/header.sh"
lines=$(wc -l < "$work/header.sh")
sed -i "s/@PAYLOAD_LINE@/$((lines + 1))/" "$work/header.sh"
mkdir -p "$(dirname "$out")"
cat "$work/header.sh" "$payload" > "$out"
chmod 755 "$out"
echo "package: $out: $(wc -c < "$out") bytes (runtime and bundles $unpacked_kb KiB unpacked; modules $modules)"
