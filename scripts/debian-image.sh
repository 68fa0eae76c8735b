#!/usr/bin/env bash
# Builds the Debian riscv64 guest: Debian 13's kernel, busybox-static and OpenSBI, fetched with
# scripts/fetch-debian.sh (the archive address comes from this machine's apt configuration), and an
# initramfs (scripts/mkinitramfs.py) that loads the virtio-mmio, virtio-blk and virtio-rng modules and
# ext4 with its dependencies (crc32c, crc16, mbcache, jbd2). Output in .ovm-cache/images/debian-riscv64/:
# vmlinux, initramfs.gz, fw_jump.bin; cached, and rebuilt when the recipe below changes ($recipe).
set -euo pipefail
cd "$(dirname "$0")/.."
out=.ovm-cache/images/debian-riscv64
# The modules the initramfs loads, in load order (paths under the kernel's module tree, without .ko.xz).
# The ext4 group (after "ext4:") is loaded only when /dev/vda holds an ext2/3/4 file system.
modules=(drivers/virtio/virtio_mmio drivers/block/virtio_blk drivers/char/hw_random/virtio-rng
         ext4: crypto/crc32c_generic lib/crc16 fs/mbcache fs/jbd2/jbd2 fs/ext4/ext4)
recipe="2 $(sha256sum scripts/mkinitramfs.py | cut -c1-16) ${modules[*]}"
if [ -f "$out/initramfs.gz" ] && [ -f "$out/vmlinux" ] && [ -f "$out/fw_jump.bin" ] \
   && [ "$(cat "$out/recipe" 2>/dev/null)" = "$recipe" ]; then
  echo "$PWD/$out"; exit 0
fi
say() { echo "debian-image: $*" >&2; }
say "fetching OpenSBI, the kernel meta-package and busybox-static (Debian 13, riscv64)"
opensbi=$(scripts/fetch-debian.sh opensbi)
meta=$(scripts/fetch-debian.sh --arch riscv64 linux-image-riscv64)
busybox=$(scripts/fetch-debian.sh --arch riscv64 busybox-static)
kpkg=$(dpkg-deb -f .ovm-cache/apt-trixie/linux-image-riscv64_*.deb Depends | sed 's/ (.*//; s/,.*//')
say "fetching $kpkg"
kernel=$(scripts/fetch-debian.sh --arch riscv64 "$kpkg")
version=${kpkg#linux-image-}
mods="$kernel/usr/lib/modules/$version/kernel"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say "decompressing ${#modules[@]} modules (virtio, ext4 and its dependencies)"
built=()
for m in "${modules[@]}"; do
  if [ "$m" = ext4: ]; then built+=(ext4:); continue; fi
  xz -dc "$mods/$m.ko.xz" > "$work/$(basename "$m").ko"
  built+=("$work/$(basename "$m").ko")
done
mkdir -p "$out"
say "building the initramfs"
python3 scripts/mkinitramfs.py "$out/initramfs.gz" "$busybox/usr/bin/busybox" "${built[@]}"
cp "$kernel/boot/vmlinux-$version" "$out/vmlinux"
cp "$opensbi/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin" "$out/fw_jump.bin"
echo "$recipe" > "$out/recipe"
say "done: $PWD/$out (kernel $version)"
say "boot it: ./ovm run -bios $out/fw_jump.bin -kernel $out/vmlinux -initrd $out/initramfs.gz -m 512M -append console=ttyS0"
echo "$PWD/$out"
