# shellcheck shell=bash
# Outside checkers the tests run over Liaison's pages, fetched from the npm
# registry at pinned versions and checksums into .data/tools (rebuilt when
# missing, never committed). axe-core is small and vendored in tests/vendor.
# Sourced, not executed.

VNU_VERSION=26.9.27
VNU_SHA256=5970d3ffca91a627cf0965e5d91bb2e4242307c29292998de0b419d6a901b2b7

# ensure_vnu: the Nu HTML Checker (W3C validator) jar at .data/tools/vnu/vnu.jar.
ensure_vnu() {
    local dir=.data/tools/vnu
    if [ -f "$dir/vnu.jar" ] && [ "$(cat "$dir/version" 2>/dev/null)" = "$VNU_VERSION" ]; then
        return 0
    fi
    echo "==> fetching the Nu HTML Checker $VNU_VERSION (npm registry)"
    mkdir -p "$dir"
    local tarball="$dir/vnu-jar-$VNU_VERSION.tgz"
    curl -sSfL -o "$tarball" "https://registry.npmjs.org/vnu-jar/-/vnu-jar-$VNU_VERSION.tgz"
    if ! echo "$VNU_SHA256  $tarball" | sha256sum -c --quiet -; then
        echo "The Nu HTML Checker download does not match its checksum." >&2
        rm -f "$tarball"
        exit 1
    fi
    tar -xzf "$tarball" -C "$dir" --strip-components=3 package/build/dist/vnu.jar
    rm -f "$tarball"
    echo "$VNU_VERSION" >"$dir/version"
}
