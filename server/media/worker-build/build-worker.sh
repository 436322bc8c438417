#!/usr/bin/env bash
# Builds mediasoup-worker from the sources in the installed mediasoup npm package, offline, on
# Debian 12 (bookworm), with nothing but Debian's packages:
#   * the worker's libraries from Debian (OpenSSL, libuv, abseil, libsrtp2, flatbuffers), each
#     meson subproject of the worker replaced by a shim over the system library, since the
#     worker's own wraps download tarballs;
#   * meson from Debian 13 (trixie), as bookworm's 1.0 is older than the worker needs (>= 1.1),
#     and the header-only ankerl/unordered_dense.h from trixie's rspamd source package, which
#     Debian packages nowhere else; both fetched with a private apt configuration (the system's
#     apt sources and state stay untouched) from the system's own Debian mirror;
#   * patches/*.patch: the worker's SRTP code ported to libsrtp 2 (Debian has no libsrtp 3), and
#     a fix for Debian's kernel-TLS OpenSSL.
#
# server/cli/ensure-media-worker.ts runs this when no worker can be had otherwise, and caches
# the result; run that, not this. Interface:
#   MS_DIR  the mediasoup package (node_modules/mediasoup)
#   OUT     where to write the finished binary (written only once it has been built and starts)
#   WORK    where downloads are kept between builds (meson, the header); builds happen below it
#   JOBS    parallel compile jobs (default: the number of cores)
set -euo pipefail

: "${MS_DIR:?MS_DIR must name the mediasoup package directory}"
: "${OUT:?OUT must name the file to write the worker to}"
: "${WORK:?WORK must name a work directory}"
JOBS=${JOBS:-$(nproc)}
PATCHES="$(cd "$(dirname "$0")" && pwd)/patches"
DEBIAN_SUITE=trixie
DEBIAN_PACKAGES=(g++ pkg-config patch xz-utils python3 ninja-build
	libssl-dev libuv1-dev libabsl-dev libsrtp2-dev libflatbuffers-dev flatbuffers-compiler)

step() {
	printf '==> %s\n' "$*"
}

# The worker exits with 41 when started without MEDIASOUP_VERSION: proof that it loads and runs.
starts() {
	local rc=0
	env -i "$1" >/dev/null 2>&1 || rc=$?
	[ "$rc" = 41 ]
}

ms_version=$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$MS_DIR/package.json" | head -1)
[ -n "$ms_version" ] || {
	echo "no mediasoup package at $MS_DIR" >&2
	exit 1
}
[ "$ms_version" = 3.27.1 ] || echo "warning: the patches were written for mediasoup 3.27.1, this is $ms_version" >&2

step "1/6 Debian build dependencies"
command -v dpkg-query >/dev/null || {
	echo "This build needs Debian (or a derivative) and its packages; this system has no dpkg." >&2
	exit 3
}
missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
	as_root=()
	if [ "$(id -u)" != 0 ]; then
		if sudo -n true 2>/dev/null; then
			as_root=(sudo -n)
		else
			cat >&2 <<-EOF
				The mediasoup worker build needs these Debian packages, which are not installed:
				  ${missing[*]}
				Installing them needs root. Run:
				  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}
				then run \`node server/cli/ensure-media-worker.ts\` again.
			EOF
			exit 3
		fi
	fi
	echo "installing ${missing[*]}"
	"${as_root[@]}" apt-get update -qq
	"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
	echo "all installed"
fi

step "2/6 meson and unordered_dense.h from Debian $DEBIAN_SUITE"
tools="$WORK/tools-$DEBIAN_SUITE"
if [ ! -x "$tools/meson/usr/bin/meson" ] || [ ! -s "$tools/unordered_dense.h" ]; then
	apt_dir="$WORK/apt-$DEBIAN_SUITE"
	rm -rf "$apt_dir" "$tools.tmp"
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/parts" "$apt_dir/download" "$tools.tmp"
	: >"$apt_dir/sources.list"
	# The system's own Debian mirror (the first non-security one it lists).
	mirror=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1 || true)
	[ -n "$mirror" ] || mirror=$(sed -n 's/^deb[[:space:]]\+\(http[^[:space:]]*\).*/\1/p' /etc/apt/sources.list 2>/dev/null | grep -v security | head -1 || true)
	[ -n "$mirror" ] || {
		echo "no Debian mirror found in /etc/apt/sources.list{,.d}" >&2
		exit 1
	}
	cat >"$apt_dir/parts/$DEBIAN_SUITE.sources" <<-EOF
		Types: deb deb-src
		URIs: ${mirror%% *}
		Suites: $DEBIAN_SUITE
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	apt_options=(-o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts="$apt_dir/parts"
		-o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache" -o Dir::State::status=/dev/null
		-o APT::Sandbox::User="$(id -un)")
	apt-get "${apt_options[@]}" update -qq
	(cd "$apt_dir/download" && apt-get "${apt_options[@]}" download -qq meson && apt-get "${apt_options[@]}" source --download-only -qq rspamd)
	dpkg-deb -x "$apt_dir"/download/meson_*_all.deb "$tools.tmp/meson"
	rspamd_tarball=$(ls "$apt_dir"/download/rspamd_*.orig.tar.* | grep -v '\.asc$' | head -1)
	tar -xf "$rspamd_tarball" -C "$tools.tmp" --wildcards --strip-components=3 '*/contrib/ankerl/unordered_dense.h'
	rm -rf "$tools" && mv "$tools.tmp" "$tools" && rm -rf "$apt_dir"
fi
export PYTHONPATH="$tools/meson/usr/lib/python3/dist-packages${PYTHONPATH:+:$PYTHONPATH}"
meson() {
	/usr/bin/python3 "$tools/meson/usr/bin/meson" "$@"
}
ud_version=$(sed -n 's/^#define ANKERL_UNORDERED_DENSE_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\).*/\2/p' "$tools/unordered_dense.h" | paste -sd.)
echo "meson $(meson --version), ninja $(ninja --version), unordered_dense $ud_version"

step "3/6 worker sources of mediasoup $ms_version, patched"
mkdir -p "$WORK"
run=$(mktemp -d "$WORK/run.XXXXXX")
trap 'rm -rf "$run"' EXIT
trap 'exit 143' INT TERM # so that the EXIT trap runs
src="$run/worker"
cp -a "$MS_DIR/worker" "$src"
rm -rf "$src/out" "$src/prebuild"
for patch_file in "$PATCHES"/*.patch; do
	echo "applying $(basename "$patch_file")"
	patch -p1 -s -d "$src" <"$patch_file"
done

step "4/6 meson subprojects replaced by Debian's libraries"
subprojects="$src/subprojects"
wrap_dir() {
	echo "$subprojects/$(sed -n 's/^directory *= *//p' "$subprojects/$1.wrap")"
}
# shim <wrap> <short name> <meson.build body>: a subproject that declares what the worker's
# meson.build asks of it over a system dependency, with an empty static library wherever the
# worker links one of the subproject's own.
shim() {
	local dir
	dir=$(wrap_dir "$1")
	mkdir -p "$dir"
	printf 'void ms_shim_%s(void);\nvoid ms_shim_%s(void) {}\n' "$2" "$2" >"$dir/shim.c"
	{
		echo "project('$1', 'c', meson_version: '>=1.1')"
		echo "shim_lib = static_library('$2_shim', 'shim.c')"
		echo "$3"
	} >"$dir/meson.build"
}
shim libuv uv "libuv_dep = dependency('libuv', version: '>=1.44', allow_fallback: false)
libuv = shim_lib"
printf "option('build_tests', type: 'boolean', value: false)\noption('build_benchmarks', type: 'boolean', value: false)\n" \
	>"$(wrap_dir libuv)/meson.options"
shim openssl openssl "openssl_dep = dependency('openssl', version: '>=3.0', allow_fallback: false)
libcrypto_lib = shim_lib
libssl_lib = shim_lib"
shim libsrtp3 srtp "_srtp2 = dependency('libsrtp2', version: '>=2.4', allow_fallback: false)
libsrtp3_dep = declare_dependency(dependencies: _srtp2,
  compile_args: ['-I' + (_srtp2.get_variable(pkgconfig: 'includedir') / 'srtp2')])
libsrtp3 = shim_lib"
printf "option('crypto-library', type: 'string', value: 'openssl')\noption('crypto-library-kdf', type: 'feature', value: 'disabled')\noption('tests', type: 'feature', value: 'disabled')\n" \
	>"$(wrap_dir libsrtp3)/meson.options"
# flatc comes from Debian's flatbuffers-compiler, so the generated headers match its runtime.
shim flatbuffers flatbuffers "flatbuffers_dep = dependency('flatbuffers', allow_fallback: false)
flatbuffers_lib = shim_lib"
shim abseil-cpp absl "absl_strings_dep = dependency('absl_strings', allow_fallback: false)
absl_types_dep = declare_dependency(dependencies: [dependency('absl_optional', allow_fallback: false), dependency('absl_memory', allow_fallback: false)])
absl_container_dep = dependency('absl_flat_hash_map', allow_fallback: false)
absl_container_lib = shim_lib"
ud_dir=$(wrap_dir unordered-dense)
mkdir -p "$ud_dir/include/ankerl"
cp "$subprojects/packagefiles/ankerl-unordered-dense/meson.build" "$ud_dir/meson.build"
cp "$tools/unordered_dense.h" "$ud_dir/include/ankerl/unordered_dense.h"
echo "libuv, openssl, libsrtp3 (as libsrtp2), flatbuffers, abseil-cpp, unordered-dense"

step "5/6 compile ($JOBS jobs)"
# The options of mediasoup's own Release build (`invoke mediasoup-worker`).
meson setup --wrap-mode=nodownload --buildtype release -Db_ndebug=true \
	-Dms_build_tests=false -Dms_build_fuzzer=false "$src/build" "$src" >"$run/meson-setup.log" 2>&1 ||
	{
		cat "$run/meson-setup.log" >&2
		exit 1
	}
ninja -C "$src/build" -j "$JOBS" mediasoup-worker

step "6/6 check"
starts "$src/build/mediasoup-worker" || {
	echo "the built worker does not start (expected exit code 41)" >&2
	exit 1
}
mkdir -p "$(dirname "$OUT")"
install -m 0755 "$src/build/mediasoup-worker" "$OUT"
echo "mediasoup-worker $ms_version built: $(stat -c %s "$OUT") bytes"
