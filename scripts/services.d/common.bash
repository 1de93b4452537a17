# Helpers the plug-ins share (sourced, not a plug-in: plug-ins are the *.sh files).
# shellcheck shell=bash

log() { echo "$SERVICE_NAME: $*" >&2; }

die() {
    log "$*"
    exit 1
}

# Database servers refuse to run as root (PostgreSQL) or warn about it (Redis): as root they
# run as the unprivileged `nobody`, which every Debian system has, and own only their folder.
if [[ "$(id -u)" == 0 ]]; then
    RUN_AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    SERVER_OWNER="nobody:nogroup"
else
    RUN_AS=()
    SERVER_OWNER=""
fi

run_unprivileged() { "${RUN_AS[@]}" "$@"; }

# A folder the server process may write to.
server_folder() {
    mkdir -p "$1"
    if [[ -n "$SERVER_OWNER" ]]; then chown "$SERVER_OWNER" "$1"; fi
}

# Wait up to $1 seconds for the command after it to succeed.
wait_until() {
    local seconds="$1"
    shift
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

# Fetch Debian packages without installing them (no daemon is started, nothing outside our
# folder changes) and unpack them under $2. $1 lists "package=upstream-version-prefix" pins:
# any Debian revision of that upstream version is accepted, so a security rebuild does not
# break the script, while a different upstream version does.
unpack_debian_packages() {
    local pins="$1" root="$2" debs="$2.debs" pin package prefix version updated=""
    mkdir -p "$debs"
    for pin in $pins; do
        package="${pin%%=*}"
        prefix="${pin#*=}"
        version="$(apt-cache madison "$package" 2>/dev/null | awk -v p="$prefix" 'index($3, p) == 1 {print $3; exit}')"
        if [[ -z "$version" && -z "$updated" && "$(id -u)" == 0 ]]; then
            log "apt has no $package $prefix* in its lists; running apt-get update once"
            apt-get update -qq >&2 || true
            updated=yes
            version="$(apt-cache madison "$package" 2>/dev/null | awk -v p="$prefix" 'index($3, p) == 1 {print $3; exit}')"
        fi
        [[ -n "$version" ]] || die "Debian's package $package $prefix* is not available from apt here (apt-cache madison $package)"
        (cd "$debs" && apt-get download -qq "$package=$version" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2) || true
        compgen -G "$debs/${package}_*.deb" >/dev/null || die "apt-get download $package=$version failed"
    done
    for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$root"; done
}
