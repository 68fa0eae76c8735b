#!/usr/bin/env python3
"""Boots the Debian riscv64 guest on ovm and on QEMU, back to back, and times it.

For each run, wall-clock seconds from process start to the init's ready marker (OVM-READY), to
the checksum line and to power-off, read from the console as the guest prints it, plus the
checksum itself (compared with the host's). Same kernel, initramfs, firmware and disk for both.

usage: scripts/bench-linux.py [--runs N] [--bios fw_jump|none] [--disk-mib M] [--no-qemu]
Needs the image of scripts/debian-image.sh (run it, or `./ovm image pull debian-riscv64`, first)
and qemu-system-riscv64 (Debian's qemu-system-misc) unless --no-qemu.
"""
import argparse
import hashlib
import re
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGES = os.path.join(ROOT, ".ovm-cache", "images", "debian-riscv64")


def timed_boot(cmd, checksum_of):
    """Runs cmd; returns (ready, checksum line time, power-off time, checksum) in seconds."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    ready = summed = None
    digest = None
    assert proc.stdout is not None
    for raw in proc.stdout:
        line = raw.decode("utf-8", "replace")
        now = time.monotonic() - start
        if ready is None and "OVM-READY" in line:
            ready = now
        match = re.search(r"\b([0-9a-f]{64})\s+" + re.escape(checksum_of), line)
        if summed is None and match:
            summed = now
            digest = match.group(1)
    proc.wait()
    return ready, summed, time.monotonic() - start, digest, proc.returncode


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--bios", choices=["fw_jump", "none"], default="fw_jump")
    ap.add_argument("--disk-mib", type=int, default=16)
    ap.add_argument("--no-qemu", action="store_true")
    args = ap.parse_args()
    for f in ("vmlinux", "initramfs.gz", "fw_jump.bin"):
        if not os.path.exists(os.path.join(IMAGES, f)):
            sys.exit(f"bench-linux: {IMAGES}/{f} missing: run scripts/debian-image.sh first")
    qemu = shutil.which("qemu-system-riscv64")
    if not args.no_qemu and qemu is None:
        sys.exit("bench-linux: qemu-system-riscv64 not found (apt-get install qemu-system-misc), or --no-qemu")
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "disk.raw")
        with open(disk, "wb") as out:
            out.write(os.urandom(args.disk_mib << 20))
        with open(disk, "rb") as f:
            host = hashlib.sha256(f.read()).hexdigest()
        kernel = os.path.join(IMAGES, "vmlinux")
        initrd = os.path.join(IMAGES, "initramfs.gz")
        bios = os.path.join(IMAGES, "fw_jump.bin") if args.bios == "fw_jump" else "none"
        append = "console=ttyS0 ovm.cmd=sha256sum+/dev/vda"
        common = ["-kernel", kernel, "-initrd", initrd, "-m", "512M", "-append", append]
        ovm = [os.path.join(ROOT, "ovm"), "run", "-bios", bios, *common,
               "-drive", f"file={disk},format=raw"]
        qemu_cmd = [qemu or "qemu-system-riscv64", "-machine", "virt", "-nographic", "-bios",
                    os.path.join(IMAGES, "fw_jump.bin") if args.bios == "fw_jump" else "none",
                    *common, "-drive", f"file={disk},format=raw,if=none,id=d",
                    "-device", "virtio-blk-device,drive=d"]
        subprocess.run([os.path.join(ROOT, "ovm"), "run", "-q", "--max-insns", "1"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # build if stale
        print(f"host sha256 {host}; bios {args.bios}; {args.disk_mib} MiB disk; "
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
        print("| run | ready marker (s) | checksum printed (s) | sha256sum itself (s) | powered off (s) | checksum |")
        print("|---|---|---|---|---|---|")
        configs = [("ovm", ovm)] + ([] if args.no_qemu or args.bios == "none" else [("QEMU", qemu_cmd)])
        for run in range(1, args.runs + 1):
            for name, cmd in configs:
                ready, summed, off, digest, rc = timed_boot(cmd, "/dev/vda")
                ok = "matches" if digest == host else f"WRONG ({digest}, status {rc})"
                fmt = lambda t: "-" if t is None else f"{t:.2f}"
                phase = "-" if ready is None or summed is None else f"{summed - ready:.2f}"
                print(f"| {name} {run} | {fmt(ready)} | {fmt(summed)} | {phase} | {fmt(off)} | {ok} |",
                      flush=True)


if __name__ == "__main__":
    main()
