"""Uploads for the evidence and agreement tests, built cheaply in memory."""

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile


def huge_png(width: int = 13_000, height: int = 13_000, name: str = "peta.png") -> SimpleUploadedFile:
    """A valid black-and-white PNG that is a few kilobytes on disk and `width` x `height` once decoded.

    Built row by row through zlib, so the test never holds the decoded image itself.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    content = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return SimpleUploadedFile(name, content, content_type="image/png")


def pdf_html_polyglot(name: str = "evil.html") -> SimpleUploadedFile:
    """A file that is a PDF by its first bytes and a page with a script to a browser sniffing HTML."""
    content = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="text/html")


def large_pdf(size: int, name: str = "laporan-besar.pdf") -> SimpleUploadedFile:
    """A PDF of `size` bytes (a valid header followed by padding)."""
    head, tail = b"%PDF-1.4\n", b"\n%%EOF\n"
    return SimpleUploadedFile(name, head + b"0" * (size - len(head) - len(tail)) + tail, content_type="application/pdf")
