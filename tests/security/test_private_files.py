"""Private files reach a person only through a view that checks who is asking, in every mode.

Export files and after-sales evidence are downloaded through views (the creator of an export
or an admin; the staff who may open the case); nothing is served from MEDIA_ROOT, even with
DEBUG on as in `make run`; stored export names carry a long random folder.
"""

from __future__ import annotations

import importlib

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import Resolver404, clear_url_caches, resolve, reverse

import config.urls
from aftersales.models import CaseEvidence
from reports.models import ExportFile
from tests.aftersales.factories import RefundCaseFactory
from tests.orders.factories import PurchaseOrderFactory
from tests.security.files import tiny_png

CSV = b"reference,amount\r\nPO-1,92.90\r\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def ready_export(user, name: str = "caigou-lines-20260101-1200.csv") -> ExportFile:
    export = ExportFile.objects.create(
        report="lines", format="csv", mode="file", created_by=user, rows_total=1
    )
    export.file.save(name, ContentFile(CSV), save=False)
    export.status = ExportFile.Status.DONE
    export.save()
    return export


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# -- exports ---------------------------------------------------------------------------------
def test_the_creator_downloads_the_export_as_an_attachment(media, staff_user):
    owner = staff_user("approver")
    export = ready_export(owner)

    response = signed_in(owner).get(reverse("reports:export_download", args=[export.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CSV
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_anonymous_request_is_sent_to_sign_in(media, staff_user):
    export = ready_export(staff_user("approver"))
    url = reverse("reports:export_download", args=[export.pk])

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("role", "status"), [("finance", 404), ("purchaser", 403)])
def test_other_staff_do_not_get_someone_elses_export(media, staff_user, role, status):
    export = ready_export(staff_user("approver"))

    response = signed_in(staff_user(role)).get(reverse("reports:export_download", args=[export.pk]))

    assert response.status_code == status
    assert CSV not in response.content


def test_stored_export_names_carry_a_long_random_folder(media, staff_user):
    owner = staff_user("approver")
    first, second = ready_export(owner), ready_export(owner)

    folder, token, name = first.file.name.split("/")
    assert folder == "exports" and name == "caigou-lines-20260101-1200.csv"
    assert len(token) >= 32  # 24 random bytes, URL-safe
    assert second.file.name.split("/")[1] != token


def test_no_media_url_serves_an_export_even_with_debug_on(media, staff_user, settings):
    export = ready_export(staff_user("approver"))
    assert (media / export.file.name).exists()
    settings.DEBUG = True  # `make run`: the URLs are built again as that mode builds them
    try:
        urls = importlib.reload(config.urls)
        with pytest.raises(Resolver404):
            resolve(f"/media/{export.file.name}", urlconf=urls)
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
        clear_url_caches()

    assert Client().get(f"/media/{export.file.name}").status_code == 404


def test_the_admin_links_the_download_view_not_the_file(media, staff_user):
    admin = staff_user("admin", is_superuser=True)
    export = ready_export(admin)

    page = signed_in(admin).get(reverse("admin:reports_exportfile_change", args=[export.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("reports:export_download", args=[export.pk]) in html
    assert export.file.name.split("/")[1] not in html


# -- after-sales evidence --------------------------------------------------------------------
@pytest.fixture
def evidence(db) -> CaseEvidence:
    order = PurchaseOrderFactory(upstream_order_id="4000000001")
    case = RefundCaseFactory(order=order, platform="taobao")
    picture = tiny_png()
    return CaseEvidence.objects.create(
        case=case,
        file_name="photo.png",
        content_type="image/png",
        size=len(picture),
        file=ContentFile(picture, name="photo.png"),
    )


def evidence_url(evidence: CaseEvidence) -> str:
    return reverse("aftersales:evidence", args=[evidence.case_id, evidence.pk])


def test_staff_of_the_case_download_its_evidence(evidence, staff_user):
    client = signed_in(staff_user("purchaser"))

    response = client.get(evidence_url(evidence))

    assert response.status_code == 200
    with evidence.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read() == tiny_png()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    # The case page links the download view.
    page = client.get(reverse("aftersales:detail", args=[evidence.case_id])).content.decode()
    assert evidence_url(evidence) in page


def test_evidence_is_refused_to_the_anonymous_and_to_roles_without_cases(evidence, staff_user):
    anonymous = Client().get(evidence_url(evidence))
    finance = signed_in(staff_user("finance")).get(evidence_url(evidence))

    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert finance.status_code == 403


def test_evidence_of_another_case_is_not_found(evidence, staff_user):
    url = reverse("aftersales:evidence", args=[evidence.case_id + 1, evidence.pk])

    assert signed_in(staff_user("purchaser")).get(url).status_code == 404
