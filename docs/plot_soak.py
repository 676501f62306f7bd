#!/usr/bin/env python3
"""Draws the soak's samples (the CSV SoakTests writes) as a PNG, with no third-party package.

    python3 docs/plot_soak.py /tmp/rectify-soak.csv docs/soak.png

Four panels over elapsed time: queue depth, latency p50/p99, the workers' resident memory,
and the sizes of the live and finished job tables.
"""
import csv
import struct
import sys
import zlib

FONT = {  # 5x7 glyphs, one string of five bits per row
    "0": ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
    "1": ["00100", "01100", "00100", "00100", "00100", "00100", "01110"],
    "2": ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
    "3": ["11110", "00001", "00001", "01110", "00001", "00001", "11110"],
    "4": ["00010", "00110", "01010", "10010", "11111", "00010", "00010"],
    "5": ["11111", "10000", "11110", "00001", "00001", "10001", "01110"],
    "6": ["00110", "01000", "10000", "11110", "10001", "10001", "01110"],
    "7": ["11111", "00001", "00010", "00100", "01000", "01000", "01000"],
    "8": ["01110", "10001", "10001", "01110", "10001", "10001", "01110"],
    "9": ["01110", "10001", "10001", "01111", "00001", "00010", "01100"],
    "A": ["01110", "10001", "10001", "11111", "10001", "10001", "10001"],
    "B": ["11110", "10001", "10001", "11110", "10001", "10001", "11110"],
    "C": ["01110", "10001", "10000", "10000", "10000", "10001", "01110"],
    "D": ["11100", "10010", "10001", "10001", "10001", "10010", "11100"],
    "E": ["11111", "10000", "10000", "11110", "10000", "10000", "11111"],
    "F": ["11111", "10000", "10000", "11110", "10000", "10000", "10000"],
    "G": ["01110", "10001", "10000", "10111", "10001", "10001", "01111"],
    "H": ["10001", "10001", "10001", "11111", "10001", "10001", "10001"],
    "I": ["01110", "00100", "00100", "00100", "00100", "00100", "01110"],
    "J": ["00111", "00010", "00010", "00010", "00010", "10010", "01100"],
    "K": ["10001", "10010", "10100", "11000", "10100", "10010", "10001"],
    "L": ["10000", "10000", "10000", "10000", "10000", "10000", "11111"],
    "M": ["10001", "11011", "10101", "10101", "10001", "10001", "10001"],
    "N": ["10001", "10001", "11001", "10101", "10011", "10001", "10001"],
    "O": ["01110", "10001", "10001", "10001", "10001", "10001", "01110"],
    "P": ["11110", "10001", "10001", "11110", "10000", "10000", "10000"],
    "Q": ["01110", "10001", "10001", "10001", "10101", "10010", "01101"],
    "R": ["11110", "10001", "10001", "11110", "10100", "10010", "10001"],
    "S": ["01111", "10000", "10000", "01110", "00001", "00001", "11110"],
    "T": ["11111", "00100", "00100", "00100", "00100", "00100", "00100"],
    "U": ["10001", "10001", "10001", "10001", "10001", "10001", "01110"],
    "V": ["10001", "10001", "10001", "10001", "10001", "01010", "00100"],
    "W": ["10001", "10001", "10001", "10101", "10101", "10101", "01010"],
    "X": ["10001", "10001", "01010", "00100", "01010", "10001", "10001"],
    "Y": ["10001", "10001", "01010", "00100", "00100", "00100", "00100"],
    "Z": ["11111", "00001", "00010", "00100", "01000", "10000", "11111"],
    " ": ["00000"] * 7,
    ".": ["00000", "00000", "00000", "00000", "00000", "01100", "01100"],
    ",": ["00000", "00000", "00000", "00000", "01100", "00100", "01000"],
    "-": ["00000", "00000", "00000", "11111", "00000", "00000", "00000"],
    "/": ["00001", "00010", "00010", "00100", "01000", "01000", "10000"],
    "(": ["00010", "00100", "01000", "01000", "01000", "00100", "00010"],
    ")": ["01000", "00100", "00010", "00010", "00010", "00100", "01000"],
    ":": ["00000", "01100", "01100", "00000", "01100", "01100", "00000"],
    "=": ["00000", "00000", "11111", "00000", "11111", "00000", "00000"],
}

WHITE, BLACK, GREY = (255, 255, 255), (30, 30, 30), (215, 215, 215)
COLOURS = [(31, 119, 180), (214, 39, 40), (44, 160, 44), (148, 103, 189)]


class Canvas:
    def __init__(self, width, height):
        self.width, self.height = width, height
        self.pixels = [bytearray(WHITE * width) for _ in range(height)]

    def dot(self, x, y, colour):
        if 0 <= x < self.width and 0 <= y < self.height:
            self.pixels[y][3 * x:3 * x + 3] = bytes(colour)

    def line(self, x0, y0, x1, y1, colour, thick=1):
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for i in range(steps + 1):
            x = round(x0 + (x1 - x0) * i / steps)
            y = round(y0 + (y1 - y0) * i / steps)
            for dx in range(thick):
                for dy in range(thick):
                    self.dot(x + dx, y + dy, colour)

    def text(self, x, y, words, colour=BLACK, scale=2):
        for ch in words.upper():
            glyph = FONT.get(ch, FONT[" "])
            for row, bits in enumerate(glyph):
                for col, bit in enumerate(bits):
                    if bit == "1":
                        for sx in range(scale):
                            for sy in range(scale):
                                self.dot(x + col * scale + sx, y + row * scale + sy, colour)
            x += 6 * scale

    def png(self, path):
        raw = b"".join(b"\x00" + bytes(row) for row in self.pixels)

        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

        with open(path, "wb") as out:
            out.write(b"\x89PNG\r\n\x1a\n")
            out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)))
            out.write(chunk(b"IDAT", zlib.compress(raw, 9)))
            out.write(chunk(b"IEND", b""))


def nice(value):
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def panel(canvas, left, top, width, height, title, xs, series, unit):
    """series: [(label, values)]; y from 0 to the largest value (rounded up)."""
    top_value = max([max(v) for _, v in series if v] + [1]) * 1.15
    x_max = max(xs) if xs else 1
    canvas.text(left, top - 26, title, scale=2)
    for i in range(5):
        y = top + height - round(height * i / 4)
        canvas.line(left, y, left + width, y, GREY)
        canvas.text(left - 70, y - 7, nice(top_value * i / 4), scale=2)
    for i in range(6):
        x = left + round(width * i / 5)
        canvas.line(x, top + height, x, top + height + 5, BLACK)
        canvas.text(x - 12, top + height + 10, nice(x_max * i / 5 / 60), scale=2)
    canvas.line(left, top, left, top + height, BLACK)
    canvas.line(left, top + height, left + width, top + height, BLACK)
    canvas.text(left + width - 190, top + height + 30, "MINUTES", scale=2)
    canvas.text(left - 70, top - 8 + height // 2 + 40, "", scale=2)
    legend_x = left + 10
    for index, (label, values) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        points = [(left + round(width * x / x_max), top + height - round(height * v / top_value)) for x, v in zip(xs, values)]
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            canvas.line(x0, y0, x1, y1, colour, thick=2)
        canvas.line(legend_x, top + 10, legend_x + 24, top + 10, colour, thick=3)
        canvas.text(legend_x + 30, top + 4, f"{label} ({unit})", colour, scale=2)
        legend_x += 60 + 12 * (len(label) + len(unit) + 3)


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source) as handle:
        rows = list(csv.DictReader(handle))
    xs = [float(r["elapsed_s"]) for r in rows]
    col = lambda name, scale=1.0: [float(r[name]) * scale for r in rows]
    canvas = Canvas(1400, 1100)
    canvas.text(60, 16, "RECTIFY SOAK: " + f"{len(rows)} SAMPLES OVER {xs[-1] / 60:.1f} MIN" if rows else "NO SAMPLES", scale=3)
    w, h = 540, 330
    panel(canvas, 110, 110, w, h, "QUEUE DEPTH AND JOBS DONE PER 5 S", xs,
          [("DEPTH", col("depth")), ("DONE", col("completed_in_window"))], "JOBS")
    panel(canvas, 810, 110, w, h, "LATENCY CREATED TO FINISHED", xs,
          [("P50", col("latency_p50_ms")), ("P99", col("latency_p99_ms"))], "MS")
    panel(canvas, 110, 640, w, h, "WORKER MEMORY (RSS, 2 PROCESSES)", xs, [("RSS", col("worker_rss_mib"))], "MIB")
    panel(canvas, 810, 640, w, h, "JOB TABLE SIZES", xs,
          [("LIVE", col("live_table_kib", 1 / 1024)), ("FINISHED", col("finished_table_kib", 1 / 1024))], "MIB")
    canvas.png(target)


if __name__ == "__main__":
    main()
