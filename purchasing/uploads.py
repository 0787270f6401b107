"""Every uploaded file is checked here before Caigou keeps it or sends it upstream.

Pictures are judged by their header first (Pillow reads the size without decoding), refused
past a pixel limit, then decoded and saved again: what leaves Caigou is the picture alone,
without trailing bytes, metadata or anything appended to it. A PDF cannot be re-drawn, so its
structure is checked instead: it must end like a PDF and carry nothing that runs (scripts,
actions, launches, embedded files), counting what hides in compressed streams.

Below every app that takes files (purchasing, after-sales), so all of them use this one module.
"""

from __future__ import annotations

import io
import re
import warnings
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# 40 megapixels is above a phone photo (12 MP as saved) or a screenshot, and keeps one decoded
# picture (4 bytes a pixel) well under the memory a web worker can spare.
MAX_PIXELS = 40_000_000
# Judged by the bytes, never the declared type or the name.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"%PDF-", "application/pdf"),
)
PDF = "application/pdf"
# Names that make a PDF do something when opened, or carry another file inside it.
PDF_ACTIVE = frozenset(
    {
        "JavaScript",
        "JS",
        "OpenAction",
        "AA",
        "Launch",
        "EmbeddedFile",
        "EmbeddedFiles",
        "RichMedia",
        "XFA",
        "SubmitForm",
        "ImportData",
        "GoToE",
        "GoToR",
    }
)
PDF_NAME = re.compile(rb"/([A-Za-z0-9#]+)")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
PDF_UNPACKED_MAX = 50 * 1024 * 1024  # all compressed streams of one PDF, unpacked


class UploadRefused(ValueError):
    """The file cannot be accepted; the message says why, in words for a person."""


@dataclass(frozen=True)
class CleanFile:
    """A checked file: what to keep or send, and what it is."""

    content_type: str
    content: bytes

    def name_for(self, name: str) -> str:
        """`name` with the extension of what the file now is (a GIF saved again is a PNG)."""
        stem = PurePosixPath(name.replace("\\", "/")).stem[:150] or "file"
        return f"{stem}{EXTENSIONS[self.content_type]}"


EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", PDF: ".pdf"}


def sniff(content: bytes) -> str:
    """The content type of a picture or PDF by its first bytes, or "" for anything else."""
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return next((ctype for magic, ctype in SIGNATURES if content.startswith(magic)), "")


def too_large_message() -> str:
    return _("The picture is too large: at most %(mp)s megapixels.") % {
        "mp": MAX_PIXELS // 1_000_000
    }


def _open(content: bytes) -> Image.Image:
    """The picture, opened lazily (only the header is read); refused past the pixel limit."""
    try:
        with warnings.catch_warnings():
            # Pillow warns (and past twice its limit, raises) on huge sizes: both are a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadRefused(too_large_message()) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UploadRefused(_("The file is not a picture that can be read.")) from exc
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise UploadRefused(too_large_message())
    return image


def picture_format(content: bytes) -> str:
    """The picture's format ("PNG", "JPEG", ...) once its size and structure are checked,
    without keeping the decoded pixels (for pictures sent on as they are, like a search)."""
    image = _open(content)
    try:
        found = image.format or ""
        image.verify()
    except (OSError, SyntaxError, ValueError) as exc:
        raise UploadRefused(_("The file is not a picture that can be read.")) from exc
    finally:
        image.close()
    return found


def clean_picture(content: bytes) -> CleanFile:
    """The picture decoded and saved again (JPEG stays JPEG, anything else becomes PNG), turned
    upright, with its metadata and any bytes after the picture left behind."""
    image = _open(content)
    try:
        jpeg = image.format == "JPEG"
        image.load()  # the first frame only: an animation's other frames are not sent
        upright = ImageOps.exif_transpose(image)
        if jpeg and upright.mode not in ("L", "RGB"):
            upright = upright.convert("RGB")
        elif not jpeg and upright.mode not in ("1", "L", "LA", "RGB", "RGBA"):
            upright = upright.convert("RGBA")
        upright.info = {}  # no EXIF, comments or text chunks leave with the picture
        out = io.BytesIO()
        upright.save(out, format="JPEG" if jpeg else "PNG", **({"quality": 90} if jpeg else {}))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        # Truncated data, a mode that cannot be converted: the picture cannot be read.
        raise UploadRefused(_("The file is not a picture that can be read.")) from exc
    finally:
        image.close()
    return CleanFile("image/jpeg" if jpeg else "image/png", out.getvalue())


def _names(data: bytes) -> set[str]:
    """The PDF names in `data`, with #xx escapes decoded (/J#61vaScript is /JavaScript)."""
    found = set()
    for raw in PDF_NAME.findall(data):
        name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), raw)
        found.add(name.decode("latin-1"))
    return found


def check_pdf(content: bytes) -> CleanFile:
    """The PDF as it is, once its structure says it only shows pages."""
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-1024:]:
        raise UploadRefused(_("The PDF is damaged or incomplete."))
    names = _names(content)
    budget = PDF_UNPACKED_MAX
    for stream in PDF_STREAM.findall(content):
        inflater = zlib.decompressobj()
        try:
            unpacked = inflater.decompress(stream, budget + 1)
        except zlib.error:
            continue  # not a Flate stream (a picture, say): its raw bytes were scanned above
        budget -= len(unpacked)
        if budget < 0 or inflater.unconsumed_tail:
            raise UploadRefused(_("The PDF unpacks to too much data to be checked."))
        names |= _names(unpacked)
    if "Encrypt" in names:
        raise UploadRefused(_("The PDF is encrypted, so it cannot be checked; send a plain one."))
    active = sorted(names & PDF_ACTIVE)
    if active:
        raise UploadRefused(
            _("The PDF carries scripts, actions or embedded files (%(names)s); send a plain one.")
            % {"names": ", ".join(active)}
        )
    return CleanFile(PDF, content)


def clean_file(content: bytes, *, allow_pdf: bool = True) -> CleanFile:
    """A picture saved again or a checked PDF; UploadRefused for anything else."""
    ctype = sniff(content)
    if ctype == PDF and allow_pdf:
        return check_pdf(content)
    if ctype.startswith("image/"):
        return clean_picture(content)
    raise UploadRefused(_("The file is not a picture or a PDF."))
