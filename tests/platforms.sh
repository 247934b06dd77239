#!/usr/bin/env bash
# tests/platforms.sh SUITE MAJOR: the whole test run (tests/run.sh) on
# another Debian release and PostgreSQL major, in a debootstrap chroot of
# SUITE made under /var/tmp/mentor-chroots (MENTOR_CHROOTS) from the same
# package mirror as the host.  A chroot left by an earlier run is reused.
# Prints tests/run.sh's output, ending with its "N passed, N failed".
#
#   sudo bash tests/platforms.sh trixie 17     PostgreSQL 17 on Debian 13
#   sudo bash tests/platforms.sh sid 18        PostgreSQL 18 on Debian unstable
set -euo pipefail
suite=$1
major=$2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
base=${MENTOR_CHROOTS:-/var/tmp/mentor-chroots}
chroot_dir=$base/$suite
mirror=${MENTOR_MIRROR:-http://deb.debian.org/debian}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! command -v debootstrap >/dev/null; then
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi
if [ ! -x "$chroot_dir/usr/bin/apt-get" ]; then
	echo "== debootstrap $suite into $chroot_dir"
	as_root rm -rf "$chroot_dir.new"
	as_root mkdir -p "$base"
	as_root debootstrap --variant=minbase "$suite" "$chroot_dir.new" "$mirror" >/dev/null
	as_root mv "$chroot_dir.new" "$chroot_dir"
fi
# unstable's Release file in the mirror is dated: apt would call it expired
echo 'Acquire::Check-Valid-Until "false";' |
	as_root tee "$chroot_dir/etc/apt/apt.conf.d/99mentor" >/dev/null
as_root cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf" 2>/dev/null || true

# what the run needs of the kernel's file systems, unmounted on every exit
mounted=()
mount_in() {
	local target=$chroot_dir/$2
	mountpoint -q "$target" && return 0
	as_root mount "${@:3}" "$1" "$target"
	mounted=("$target" "${mounted[@]}")
}
cleanup() {
	local m
	for m in "${mounted[@]}"; do as_root umount -l "$m" || true; done
}
trap cleanup EXIT
mount_in proc proc -t proc
mount_in sysfs sys -t sysfs
mount_in /dev dev --bind
mount_in /dev/pts dev/pts --bind
as_root mkdir -p "$chroot_dir/dev/shm"

# the sources as committed (a clean copy: no build or test leftovers)
as_root rm -rf "$chroot_dir/root/mentor"
as_root mkdir -p "$chroot_dir/root/mentor"
(cd "$root" && git ls-files -z | tar --null -T - -cf -) | as_root tar -C "$chroot_dir/root/mentor" -xf -

echo "== PostgreSQL $major on Debian $suite (chroot $chroot_dir)"
as_root chroot "$chroot_dir" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	LANG=C.UTF-8 PG_MAJOR="$major" \
	MENTOR_SQLSMITH_SECONDS="${MENTOR_SQLSMITH_SECONDS:-60}" \
	bash -c 'cd /root/mentor && bash tests/run.sh'
