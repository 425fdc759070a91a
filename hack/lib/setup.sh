# Sourced by the hack scripts: installs what a fresh Debian machine lacks, or says which single command does.
# Installing needs root or passwordless sudo (`sudo -n true`); without either, the script stops with the command.
# Usage: kiln_require_etcd CALLER
#        kiln_require_command CALLER COMMAND DEBIAN_PACKAGE...
#        kiln_require_qemu CALLER

# The command prefix that runs apt-get as root, or nothing when this shell cannot (prints "-" then).
_kiln_root_prefix() {
  if [ "$(id -u)" = 0 ]; then
    echo ""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "sudo -n"
  else
    echo "-"
  fi
}

# Installs Debian packages quietly (apt-get's output goes to a log), refreshing the package lists only when needed.
# Usage: _kiln_apt_install CALLER WHY PACKAGE...
_kiln_apt_install() {
  local caller="$1" why="$2" prefix log
  shift 2
  prefix="$(_kiln_root_prefix)"
  if [ "$prefix" = "-" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "$caller: $why; install with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${_kiln_apt_options:+$_kiln_apt_options }$*" >&2
    exit 1
  fi
  echo "$caller: $why; installing Debian's $* with apt-get" >&2
  log="$(mktemp "${TMPDIR:-/tmp}/kiln-apt.XXXXXX")"
  # a fresh machine may have no package lists yet: update once, only when the first try fails
  # shellcheck disable=SC2086  # _kiln_apt_options: none, or --no-install-recommends
  if ! $prefix env DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${_kiln_apt_options:-} "$@" >"$log" 2>&1; then
    # shellcheck disable=SC2086
    if ! { $prefix apt-get update -q \
        && $prefix env DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${_kiln_apt_options:-} "$@"; } \
        >>"$log" 2>&1; then
      tail -n 20 "$log" >&2
      echo "$caller: apt-get install $* failed (log: $log)" >&2
      exit 1
    fi
  fi
  rm -f "$log"
}

# The x.y version of /usr/bin/etcd, or nothing when it is missing.
_kiln_etcd_version() {
  [ -x /usr/bin/etcd ] || return 0
  /usr/bin/etcd --version 2>/dev/null | sed -n 's/^etcd Version: \([0-9]*\.[0-9]*\).*/\1/p' | head -n 1
}

# Nodes run etcd 3.4 from /usr/bin/etcd and back it up with etcdctl: Debian's etcd-server and etcd-client.
kiln_require_etcd() {
  local caller="$1" version packages=""
  version="$(_kiln_etcd_version)"
  if [ -n "$version" ] && [ "$version" != "3.4" ]; then
    echo "$caller: /usr/bin/etcd is etcd $version; Kiln's nodes need etcd 3.4 (Debian 12's etcd-server)" >&2
    exit 1
  fi
  [ -n "$version" ] || packages="etcd-server"
  [ -x /usr/bin/etcdctl ] || packages="$packages etcd-client"
  [ -n "$packages" ] || return 0
  # shellcheck disable=SC2086  # two package names
  _kiln_apt_install "$caller" "etcd 3.4 is not installed" $packages
  # Debian's package starts a system etcd where systemd runs; Kiln starts its own.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet etcd 2>/dev/null; then
    $(_kiln_root_prefix) systemctl stop etcd >/dev/null 2>&1 || true
  fi
  version="$(_kiln_etcd_version)"
  [ "$version" = "3.4" ] || { echo "$caller: apt-get installed etcd ${version:-nothing}, not 3.4" >&2; exit 1; }
}

# Usage: kiln_require_command CALLER COMMAND DEBIAN_PACKAGE...
kiln_require_command() {
  local caller="$1" command="$2"
  shift 2
  command -v "$command" >/dev/null 2>&1 && return 0
  _kiln_apt_install "$caller" "$command is not installed" "$@"
  command -v "$command" >/dev/null 2>&1 || { echo "$caller: $* installed, but $command is still missing" >&2; exit 1; }
}

# The boot image and its VM (hack/image, hack/qemu-node, QemuNodeIT): QEMU, cpio, mkfs.ext4 and curl in one apt-get
# call, without QEMU's recommended GUI, then package lists that know Debian's cloud kernel, which hack/image downloads
# (apt-get download, never installed here). x86-64 only: the image holds this machine's JDK runtime and etcd.
kiln_require_qemu() {
  local caller="$1" packages="" prefix
  if [ "$(uname -m)" != x86_64 ]; then
    echo "$caller: this machine is $(uname -m): the boot image is x86-64 only, so QemuNodeIT will be skipped" >&2
    return 0
  fi
  command -v qemu-system-x86_64 >/dev/null 2>&1 || packages="qemu-system-x86"
  command -v cpio >/dev/null 2>&1 || packages="$packages cpio"
  PATH="$PATH:/usr/sbin:/sbin" command -v mkfs.ext4 >/dev/null 2>&1 || packages="$packages e2fsprogs"
  command -v curl >/dev/null 2>&1 || packages="$packages curl"
  if [ -n "$packages" ]; then
    # shellcheck disable=SC2086  # package names
    _kiln_apt_options=--no-install-recommends _kiln_apt_install "$caller" "the boot image's VM test (QemuNodeIT) needs more packages" $packages
    command -v qemu-system-x86_64 >/dev/null 2>&1 \
      || { echo "$caller: qemu-system-x86 installed, but qemu-system-x86_64 is still missing" >&2; exit 1; }
  fi
  apt-cache show linux-image-cloud-amd64 >/dev/null 2>&1 && return 0
  prefix="$(_kiln_root_prefix)"
  if [ "$prefix" = "-" ]; then
    echo "$caller: apt's package lists do not know linux-image-cloud-amd64 (hack/image downloads its kernel); run:" >&2
    echo "  sudo apt-get update" >&2
    exit 1
  fi
  echo "$caller: apt's package lists do not know linux-image-cloud-amd64 (hack/image downloads its kernel); updating them" >&2
  $prefix apt-get update -q >/dev/null 2>&1 || { echo "$caller: apt-get update failed" >&2; exit 1; }
  apt-cache show linux-image-cloud-amd64 >/dev/null 2>&1 \
    || { echo "$caller: apt still does not know linux-image-cloud-amd64: Debian's main component missing from its sources?" >&2; exit 1; }
}
