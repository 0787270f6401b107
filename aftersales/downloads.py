"""The case's evidence files, read from the file storage and downloaded through a view that
checks the user (never a storage URL): the same people who may open the case page may read what
was attached to it."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aftersales.models import CaseEvidence
from purchasing.files import stored_file_response
from purchasing.permissions import staff_page

PERM = "purchasing.manage_aftersales"


@require_GET
@staff_page(PERM)
def evidence(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """One evidence file of case `pk`, as an attachment, with the type judged at upload."""
    found = CaseEvidence.objects.filter(pk=evidence_pk, case_id=pk).first()
    if found is None:
        raise Http404(_("No such evidence file."))
    return stored_file_response(
        found.file, filename=found.file_name, content_type=found.content_type
    )
