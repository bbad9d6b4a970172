# SPDX-License-Identifier: GPL-3.0-or-later
"""The platform VM's screen, captured from outside and compared.

    python3 tests/kernel/screen.py CONSOLE MONITOR OUT QEMU_PID

Waits until the guest's console (the file CONSOLE) says "# screen: drawing",
then asks qemu's monitor (the unix socket MONITOR) for a screendump into
OUT/screen.ppm every two seconds, until one matches OUT/offscreen.png (the
station's offscreen rendering of the same state, drawn in the guest) or a
minute has passed. Then it creates OUT/screen-done, which lets the guest
end the station, and prints one TAP line. The pixels must agree within
MAX_DELTA per channel: the fullscreen frame goes through mesa (GL on
kms_swrast), the offscreen one through SDL's software renderer, so text
edges may be blended a little differently; the share of pixels that differ
at all is printed beside it."""
import os
import socket
import struct
import sys
import time
import zlib

MAX_DELTA = 8        # per channel, of 255
MAX_OFF_SHARE = 0.001  # pixels beyond MAX_DELTA: at most one in a thousand


def read_png(path):
    """(width, height, rows of RGB bytes) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype not in (2, 6):
                raise ValueError(f"{path}: depth {depth} colour type {ctype}: only 8-bit RGB(A)")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        prev = line
        rows.append(bytes(line) if bpp == 3 else bytes(v for i, v in enumerate(line) if i % 4 != 3))
    return w, h, rows


def read_ppm(path):
    """(width, height, rows of RGB bytes) of a binary PPM (qemu's screendump)."""
    data = open(path, "rb").read()
    head = data.split(maxsplit=4)
    if head[0] != b"P6" or head[3] != b"255":
        raise ValueError(f"{path}: not an 8-bit P6 PPM")
    w, h, px = int(head[1]), int(head[2]), head[4]
    return w, h, [px[y * w * 3:(y + 1) * w * 3] for y in range(h)]


def compare(a, b):
    """(pixels beyond MAX_DELTA, pixels differing at all, largest delta)."""
    if a[:2] != b[:2]:
        return None
    beyond = differ = worst = 0
    for ra, rb in zip(a[2], b[2]):
        if ra == rb:
            continue
        for x in range(0, len(ra), 3):
            d = max(abs(ra[x + i] - rb[x + i]) for i in range(3))
            if d:
                differ += 1
                worst = max(worst, d)
                beyond += d > MAX_DELTA
    return beyond, differ, worst


def monitor(sock_path, command):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock_path)
    s.sendall(command.encode() + b"\n")
    time.sleep(0.5)
    s.close()


def main():
    console, mon, out, qemu = sys.argv[1:5]
    while True:
        text = open(console, errors="replace").read() if os.path.exists(console) else ""
        if "# screen: drawing" in text:
            break
        try:
            os.kill(int(qemu), 0)
        except OSError:
            print("not ok - KMSDRM frame: the guest ended before it drew")
            return 1
        time.sleep(1)
    shot, ref = os.path.join(out, "screen.ppm"), os.path.join(out, "offscreen.png")
    result, tries = None, 0
    try:
        want = read_png(ref)
        t0 = time.time()
        while time.time() - t0 < 60:
            tries += 1
            if os.path.exists(shot):
                os.unlink(shot)
            monitor(mon, "screendump " + os.path.abspath(shot))
            for _ in range(20):
                if os.path.exists(shot) and os.path.getsize(shot) > 0:
                    break
                time.sleep(0.25)
            time.sleep(0.5)  # written whole
            got = read_ppm(shot)
            result = compare(got, want)
            if result and result[0] <= MAX_OFF_SHARE * want[0] * want[1]:
                break
            time.sleep(2)
    except (OSError, ValueError) as e:
        print(f"not ok - KMSDRM frame: {e}")
        open(os.path.join(out, "screen-done"), "w").close()
        return 1
    open(os.path.join(out, "screen-done"), "w").close()
    w, h = want[0], want[1]
    if result is None:
        print(f"not ok - KMSDRM frame: the screen is {got[0]}x{got[1]}, the offscreen frame {w}x{h}")
        return 1
    beyond, differ, worst = result
    what = (f"{w}x{h}, capture {tries}: {differ} of {w * h} pixels differ at all "
            f"(largest by {worst} of 255), {beyond} by more than {MAX_DELTA}")
    if beyond <= MAX_OFF_SHARE * w * h:
        print(f"ok - the fullscreen KMSDRM frame on virtio-gpu, captured by qemu's screendump, "
              f"matches the offscreen rendering of the same state: {what}")
        return 0
    print(f"not ok - KMSDRM frame does not match the offscreen one: {what} (kept: {shot}, {ref})")
    return 1


if __name__ == "__main__":
    sys.exit(main())
