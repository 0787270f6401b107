"""Files for upload tests: small real pictures, and hostile ones built byte by byte."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def tiny_png(size: tuple[int, int] = (4, 4), colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def tiny_gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 120, 0)).save(buffer, format="GIF")
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header that claims `width` × `height` (one-bit grey), with a few rows of
    pixel data: tiny on the wire, enormous once decoded."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + (width + 7) // 8) * 4)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


HTML_TAIL = b"<html><script>alert(document.cookie)</script></html>"
GIF_WITH_HTML = tiny_gif() + HTML_TAIL
PDF_WITH_SCRIPT = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj\n"
    b"2 0 obj << /S /JavaScript /JS (app.alert('hi')) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def pdf_hiding(name: bytes) -> bytes:
    """A PDF whose only action is inside a compressed stream (as object streams carry it)."""
    packed = zlib.compress(b"<< /S /" + name + b" /JS (app.alert(1)) >>")
    return (
        b"%PDF-1.5\n1 0 obj << /Type /ObjStm /Filter /FlateDecode /Length "
        + str(len(packed)).encode()
        + b" >>\nstream\n"
        + packed
        + b"\nendstream\nendobj\n%%EOF\n"
    )


PLAIN_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer\n%%EOF\n"
