#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
#
# Extract the uncompressed vmlinux ELF from an x86 bzImage and check that it
# carries a PVH entry note, so that QEMU can boot it directly with -kernel
# (no real-mode set-up and no in-guest decompression: much faster under TCG).
#
# Usage: extract-vmlinux.py BZIMAGE OUT
#
# The bzImage set-up header gives the compressed payload's offset and length
# (boot protocol >= 2.08); the payload format is found by its magic bytes, and
# when the header is unusable the image is scanned for every known magic.
# Decompression uses Debian's xz/zstd/gzip/lz4/bzip2/lzop tools.
import os
import struct
import subprocess
import sys

MAGICS = [  # (name, magic, command)
    ('xz', b'\xfd7zXZ\x00', ['xz', '-dc', '--single-stream']),
    ('zstd', b'\x28\xb5\x2f\xfd', ['zstd', '-dcq']),
    ('gzip', b'\x1f\x8b\x08', ['gzip', '-dc']),
    ('lz4', b'\x02\x21\x4c\x18', ['lz4', '-dc']),
    ('bzip2', b'BZh', ['bzip2', '-dc']),
    ('lzop', b'\x89LZO', ['lzop', '-dc']),
]
XEN_ELFNOTE_PHYS32_ENTRY = 18


def die(msg):
    sys.stderr.write('[vm-setup] ERROR: extract-vmlinux: %s\n' % msg)
    sys.exit(1)


def payload_from_header(img):
    """Payload slice from the set-up header, or None."""
    if len(img) < 0x250 or img[0x202:0x206] != b'HdrS':
        return None
    version = struct.unpack_from('<H', img, 0x206)[0]
    if version < 0x208:
        return None
    setup_sects = img[0x1f1] or 4
    pm_start = (setup_sects + 1) * 512
    off, length = struct.unpack_from('<II', img, 0x248)
    start = pm_start + off
    if length == 0 or start + length > len(img):
        return None
    return start, length


def decompress(data, cmd):
    try:
        p = subprocess.run(cmd, input=data, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    except FileNotFoundError:
        return None, '%s not installed' % cmd[0]
    # The kernel build appends the uncompressed size (4 bytes) to most
    # formats: tools may complain about trailing data yet have written the
    # whole image, so judge by the output, not the exit status.
    out = p.stdout
    if out[:4] == b'\x7fELF':
        return out, None
    return None, (p.stderr.decode(errors='replace').strip() or
                  'output is not an ELF file')


def pvh_entry(elf):
    """Return the PVH entry point from the ELF notes, or None."""
    if elf[:4] != b'\x7fELF' or elf[4] != 2 or elf[5] != 1:
        die('not a little-endian ELF64 file')
    e_phoff, = struct.unpack_from('<Q', elf, 0x20)
    e_phentsize, e_phnum = struct.unpack_from('<HH', elf, 0x36)
    for i in range(e_phnum):
        ph = e_phoff + i * e_phentsize
        p_type, = struct.unpack_from('<I', elf, ph)
        if p_type != 4:  # PT_NOTE
            continue
        p_offset, = struct.unpack_from('<Q', elf, ph + 8)
        p_filesz, = struct.unpack_from('<Q', elf, ph + 32)
        pos, end = p_offset, p_offset + p_filesz
        while pos + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from('<III', elf, pos)
            name = elf[pos + 12:pos + 12 + namesz].rstrip(b'\0')
            dpos = pos + 12 + ((namesz + 3) & ~3)
            if name == b'Xen' and ntype == XEN_ELFNOTE_PHYS32_ENTRY:
                if descsz == 4:
                    return struct.unpack_from('<I', elf, dpos)[0]
                return struct.unpack_from('<Q', elf, dpos)[0]
            pos = dpos + ((descsz + 3) & ~3)
    return None


def main():
    if len(sys.argv) != 3:
        die('usage: extract-vmlinux.py BZIMAGE OUT')
    with open(sys.argv[1], 'rb') as f:
        img = f.read()
    candidates = []
    hdr = payload_from_header(img)
    if hdr:
        start, length = hdr
        for name, magic, cmd in MAGICS:
            if img.startswith(magic, start):
                candidates.append((name, start, start + length, cmd))
    if not candidates:  # scan the whole image, as scripts/extract-vmlinux does
        for name, magic, cmd in MAGICS:
            pos = img.find(magic)
            while pos >= 0:
                candidates.append((name, pos, len(img), cmd))
                pos = img.find(magic, pos + 1)
    errors = []
    for name, start, end, cmd in candidates:
        out, err = decompress(img[start:end], cmd)
        if out is None:
            errors.append('%s at 0x%x: %s' % (name, start, err))
            continue
        entry = pvh_entry(out)
        if entry is None:
            die('vmlinux (%s payload at 0x%x) has no PVH entry note '
                '(XEN_ELFNOTE_PHYS32_ENTRY): QEMU cannot boot it with -kernel'
                % (name, start))
        tmp = sys.argv[2] + '.tmp'
        with open(tmp, 'wb') as f:
            f.write(out)
        os.replace(tmp, sys.argv[2])
        sys.stderr.write('[vm-setup] vmlinux: %s payload at 0x%x, %d bytes, '
                         'PVH entry 0x%x\n' % (name, start, len(out), entry))
        return
    die('no decompressible kernel payload found in %s (%s)' %
        (sys.argv[1], '; '.join(errors) or 'no known magic'))


main()
