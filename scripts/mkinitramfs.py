#!/usr/bin/env python3
"""Builds a gzip'd newc cpio initramfs without root:
`mkinitramfs.py OUT BUSYBOX [MODULE.ko ...] [ext4: MODULE.ko ...]`.

Contents: /init (below), /bin/busybox, /lib/modules/<n>-<name>.ko for each module before `ext4:`
and /lib/modules/ext4/<n>-<name>.ko for each one after it (both in load order), /dev/console, and
empty /proc /sys /dev /mnt. Deterministic: same inputs, same bytes (mtime 0).
/init mounts /proc, /sys and /dev, loads the first group of modules; if /dev/vda holds an ext2/3/4
file system (superblock magic 0xEF53 at byte 1080) it loads the ext4 group — only then, because
loading ext4 costs the guest about 1.8 G instructions — and mounts /dev/vda on /mnt; it prints the
ready marker OVM-READY, then runs the
command given as ovm.cmd=... on the kernel command line (words joined with '+'), unmounts /mnt (so
the file system is clean on the host) and powers off, or gives a shell on the console.
"""
import gzip
import os
import stat
import sys

INIT = b"""#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in /lib/modules/*.ko; do
  insmod "$m" || echo "ovm-init: cannot load $m"
done
n=0
while [ ! -b /dev/vda ] && [ -d /sys/bus/virtio/devices ] && [ "$(ls /sys/bus/virtio/devices)" ] && [ $n -lt 20 ]; do
  sleep 0.1; n=$((n + 1))
done
if [ -b /dev/vda ] && [ "$(dd if=/dev/vda bs=1 skip=1080 count=2 2>/dev/null | od -An -tx1 | tr -d ' ')" = 53ef ]; then
  for m in /lib/modules/ext4/*.ko; do
    insmod "$m" || echo "ovm-init: cannot load $m"
  done
fi
if [ -b /dev/vda ] && mount /dev/vda /mnt 2>/dev/null; then echo "ovm-init: /dev/vda mounted on /mnt"; fi
echo "OVM-READY $(uname -r) $(grep -c ^processor /proc/cpuinfo) cpu(s)"
cmd=$(sed -n 's/.*ovm\\.cmd=\\([^ ]*\\).*/\\1/p' /proc/cmdline)
if [ -n "$cmd" ]; then
  sh -c "$(echo "$cmd" | tr '+' ' ')"
  echo "ovm-init: command exited with status $?"
  if grep -q ' /mnt ' /proc/mounts; then umount /mnt && echo "ovm-init: /mnt unmounted"; fi
  poweroff -f
fi
exec setsid cttyhack sh
"""


def entry(name, mode, data=b"", rdev=(0, 0), ino=[300000]):
    ino[0] += 1
    fields = [ino[0], mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
    out = b"070701" + "".join("%08x" % v for v in fields).encode() + name.encode() + b"\0"
    out += b"\0" * (-len(out) % 4)
    return out + data + b"\0" * (-len(data) % 4)


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: mkinitramfs.py OUT BUSYBOX [MODULE.ko ...] [ext4: MODULE.ko ...]")
    out, busybox, modules = argv[1], argv[2], argv[3:]
    archive = b""
    for d in ["bin", "dev", "proc", "sys", "mnt", "lib", "lib/modules", "lib/modules/ext4"]:
        archive += entry(d, stat.S_IFDIR | 0o755)
    archive += entry("dev/console", stat.S_IFCHR | 0o600, rdev=(5, 1))
    archive += entry("bin/busybox", stat.S_IFREG | 0o755, open(busybox, "rb").read())
    folder = "lib/modules"
    for i, module in enumerate(modules):
        if module == "ext4:":
            folder = "lib/modules/ext4"
            continue
        name = "%s/%02d-%s" % (folder, i, os.path.basename(module))
        archive += entry(name, stat.S_IFREG | 0o644, open(module, "rb").read())
    archive += entry("init", stat.S_IFREG | 0o755, INIT)
    archive += entry("TRAILER!!!", 0)
    archive += b"\0" * (-len(archive) % 512)
    with open(out, "wb") as f:
        f.write(gzip.compress(archive, mtime=0))


if __name__ == "__main__":
    main(sys.argv)
