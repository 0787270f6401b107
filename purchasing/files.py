"""Stored files (exports, payment vouchers, after-sales evidence) handed to the person who asked.

Every stored file is private: it is read through the file storage (local disk or the bucket)
and streamed by the Django view that checked the user, never linked by a storage URL, which on a
public bucket or a shared disk would bypass that check. Below every app that keeps files."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse


def stored_file_response(stored: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """`stored` as a download named `filename`, never cached or sniffed by the browser."""
    response = FileResponse(
        stored.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
