#!/usr/bin/env bash
# Install (or remove) Timeline Viewer's desktop integration: the .desktop launcher, the AppStream
# metainfo and the icon, so that menus, docks and software centres show the app by name and icon.
# The program itself is installed separately (pip, or the PyInstaller bundle).
#
#   install-desktop-integration.sh                  into ${XDG_DATA_HOME:-~/.local/share}
#   install-desktop-integration.sh --prefix /usr/local   into /usr/local/share (needs root)
#   install-desktop-integration.sh --exec /opt/timeline-viewer/timeline-viewer
#                                                   launch that file instead of `timeline-viewer`
#                                                   from PATH (e.g. the PyInstaller bundle)
#   install-desktop-integration.sh --uninstall      remove what an install put there
#
# DESTDIR is honoured for packaging (files go to $DESTDIR$PREFIX/share, no caches are updated).
# Running it again installs the same files again: it is safe to repeat.
set -euo pipefail

APP_ID=io.github.timeline_viewer.TimelineViewer
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

usage() {
    sed -n '2,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

prefix=""
exec_path=""
uninstall=false
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || { usage >&2; exit 2; }; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        --exec) [ $# -ge 2 ] || { usage >&2; exit 2; }; exec_path=$2; shift 2 ;;
        --exec=*) exec_path=${1#--exec=}; shift ;;
        --uninstall) uninstall=true; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "install-desktop-integration.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

if [ -n "$prefix" ]; then
    data_dir="${DESTDIR:-}${prefix%/}/share"
else
    data_dir="${DESTDIR:-}${XDG_DATA_HOME:-$HOME/.local/share}"
fi

desktop_target="$data_dir/applications/$APP_ID.desktop"
metainfo_target="$data_dir/metainfo/$APP_ID.metainfo.xml"
icon_target="$data_dir/icons/hicolor/scalable/apps/$APP_ID.svg"

refresh_caches() {
    # Packagers (DESTDIR) leave this to the package manager's triggers.
    [ -z "${DESTDIR:-}" ] || return 0
    if command -v update-desktop-database >/dev/null; then
        update-desktop-database -q "$data_dir/applications" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null && [ -f "$data_dir/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -f -t "$data_dir/icons/hicolor" || true
    else
        touch "$data_dir/icons/hicolor" 2>/dev/null || true  # icon themes watch the folder's mtime
    fi
}

if $uninstall; then
    rm -f "$desktop_target" "$metainfo_target" "$icon_target"
    if [ -d "$data_dir/applications" ] && [ -d "$data_dir/icons/hicolor" ]; then
        refresh_caches
    fi
    echo "removed Timeline Viewer's desktop integration from $data_dir"
    exit 0
fi

# The Exec= and TryExec= lines: `timeline-viewer` from PATH unless --exec names a file.
if [ -n "$exec_path" ]; then
    case "$exec_path" in
        /*) ;;
        *) exec_path="$(pwd)/$exec_path" ;;
    esac
    if ! [ -f "$exec_path" ] || ! [ -x "$exec_path" ]; then
        echo "install-desktop-integration.sh: --exec $exec_path is not an executable file" >&2
        exit 1
    fi
    case "$exec_path" in
        *[\"\`\$\\%]* | *$'\n'*)
            echo "install-desktop-integration.sh: --exec path has characters a .desktop Exec= line cannot carry plainly: $exec_path" >&2
            exit 1 ;;
    esac
    exec_command=$exec_path
    case "$exec_path" in *' '*) exec_command="\"$exec_path\"" ;; esac
elif ! command -v timeline-viewer >/dev/null; then
    echo "note: timeline-viewer is not on PATH, so the launcher stays hidden until it is" \
        "(or install again with --exec /path/to/timeline-viewer)" >&2
fi

mkdir -p "$(dirname "$desktop_target")" "$(dirname "$metainfo_target")" "$(dirname "$icon_target")"

# Written beside the target and moved into place, so a launcher is never half-written.
desktop_tmp=$(mktemp --suffix=.desktop "$data_dir/applications/.$APP_ID.XXXXXX")
trap 'rm -f "$desktop_tmp"' EXIT
if [ -n "$exec_path" ]; then
    # sed's replacement: & and \ and the delimiter | need escaping; the path has no \ (checked).
    replacement_exec=$(printf '%s' "$exec_command" | sed 's/[&|]/\\&/g')
    replacement_try=$(printf '%s' "$exec_path" | sed 's/[&|]/\\&/g')
    sed -e "s|^Exec=timeline-viewer |Exec=$replacement_exec |" \
        -e "s|^TryExec=timeline-viewer\$|TryExec=$replacement_try|" \
        "$HERE/$APP_ID.desktop" >"$desktop_tmp"
else
    cat "$HERE/$APP_ID.desktop" >"$desktop_tmp"
fi
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$desktop_tmp" >/dev/null || {
        desktop-file-validate "$desktop_tmp" >&2 || true
        echo "install-desktop-integration.sh: the launcher would be invalid; nothing installed" >&2
        exit 1
    }
fi
chmod 644 "$desktop_tmp"
mv -f "$desktop_tmp" "$desktop_target"
trap - EXIT

install -m 644 "$HERE/$APP_ID.metainfo.xml" "$metainfo_target"
install -m 644 "$ROOT/resources/icons/timeline-viewer.svg" "$icon_target"

refresh_caches
echo "installed Timeline Viewer's desktop integration into $data_dir:"
printf '  %s\n' "$desktop_target" "$metainfo_target" "$icon_target"
