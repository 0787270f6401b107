"""Exports: start one from the reports page, follow a background one, download its file."""

from __future__ import annotations

from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from purchasing.files import stored_file_response
from purchasing.permissions import staff_page
from reports.forms import described_filters, report_title
from reports.models import ExportFile
from reports.services import (
    ExportError,
    export_start,
    export_stream,
    export_xlsx_bytes,
)

EXPORT = "purchasing.export_reports"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    ExportFile.Format.CSV: "text/csv; charset=utf-8",
    ExportFile.Format.XLSX: XLSX_TYPE,
}


@require_POST
@staff_page(EXPORT)
def export(request: HttpRequest) -> HttpResponseBase:
    """Export what the reports page shows (its filters ride on the query string): small
    exports come back at once, big ones go to the background and the page follows them."""
    back = f"{reverse('reports:index')}?{request.GET.urlencode()}"
    try:
        started = export_start(
            actor=request.user,
            data=request.GET,
            file_format=request.POST.get("format", ""),
            language=get_language(),
        )
    except ExportError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if started.mode == ExportFile.Mode.FILE:
        messages.info(
            request,
            ngettext(
                "%(rows)s row: the file is being written in the background.",
                "%(rows)s rows: the file is being written in the background.",
                started.rows_total,
            )
            % {"rows": f"{started.rows_total:,}"},
        )
        return redirect("reports:export_detail", pk=started.pk)
    if started.format == ExportFile.Format.XLSX:
        return FileResponse(
            export_xlsx_bytes(export=started),
            as_attachment=True,
            filename=started.filename,
            content_type=XLSX_TYPE,
        )
    response = StreamingHttpResponse(
        export_stream(export=started), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{started.filename}"'
    return response


def _own(request: HttpRequest, pk: int) -> ExportFile:
    """An export its creator (or an admin) may see; anyone else gets a 404."""
    exports = ExportFile.objects.all()
    if not request.user.is_superuser:
        exports = exports.filter(created_by=request.user)
    found = exports.filter(pk=pk).first()
    if found is None:
        raise Http404("No such export.")
    return found


@require_GET
@staff_page(EXPORT)
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = _own(request, pk)
    context = {
        "export": found,
        "report_title": report_title(found.report),
        "filters": described_filters(found.filters),
    }
    return render(request, "reports/export.html", context)


@require_GET
@staff_page(EXPORT)
def export_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, polled by HTMX until the export is finished."""
    return render(request, "reports/partials/progress.html", {"export": _own(request, pk)})


@require_GET
@staff_page(EXPORT)
def export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The export's file, to its creator (or an admin) only; the only way to reach it."""
    found = _own(request, pk)
    if found.status != ExportFile.Status.DONE or not found.file:
        messages.error(request, _("This file is not ready, or it has expired."))
        return redirect("reports:export_detail", pk=pk)
    # Read through the file storage (local disk or the bucket) by whichever web process took the
    # request, whatever machine the worker wrote it on: never a public URL.
    return stored_file_response(
        found.file, filename=found.filename, content_type=CONTENT_TYPES[found.format]
    )
