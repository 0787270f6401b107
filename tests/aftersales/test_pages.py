"""The after-sales staff pages against the live sandbox: open, submit, refresh, return,
refusals as messages, permissions and the list's query count."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.models import CaseKind, CaseStatus, RefundCase, WaitingOn
from purchasing.money import format_cny
from tests.aftersales.conftest import PNG, paid_order
from tests.aftersales.factories import ask, make_cases, save_case, text
from tests.orders.factories import PurchaseOrderFactory, client_for
from upstream.sandbox.models import Refund as SandboxRefund


def test_open_submit_tick_refresh_to_refunded(live, people):
    order = paid_order(people, live)
    client = client_for(people.purchaser)

    detail = client.get(reverse("orders:detail", args=[order.pk]))
    assert "Open a refund or return" in text(detail)
    options = ask(client, order)
    assert options.status_code == 200 and 'data-testid="case-options"' in text(options)
    assert 'data-testid="max-amount"' in text(options)

    saved, prefilled = save_case(client, order)
    case = RefundCase.objects.get()
    assert saved.status_code == 302 and saved.url == reverse("aftersales:submit", args=[case.pk])
    assert case.status == CaseStatus.OPEN and f"{case.asked_fen / 100:.2f}" == prefilled
    confirm = client.get(saved.url)
    assert format_cny(case.asked_fen) in text(confirm)
    assert not SandboxRefund.objects.exists()  # nothing sent before the confirmation

    sent = client.post(reverse("aftersales:submit", args=[case.pk]), follow=True)
    assert "Sent to the seller." in text(sent) and "Waiting for the seller" in text(sent)
    live.control("tick")
    page = client.post(reverse("aftersales:refresh", args=[case.pk]), follow=True)

    case.refresh_from_db()
    assert case.status == CaseStatus.REFUNDED and case.refund_recorded
    assert 'data-testid="case-status">Refunded<' in text(page)
    assert format_cny(case.agreed_fen) in text(page)


def test_a_return_with_logistics_to_refunded(live, people):
    order = paid_order(people, live, shipped=True)
    client = client_for(people.purchaser)
    save_case(client, order, kind=CaseKind.RETURN_AND_REFUND, goods="2")
    case = RefundCase.objects.get()
    client.post(reverse("aftersales:submit", args=[case.pk]))
    live.control("tick")
    client.post(reverse("aftersales:refresh", args=[case.pk]))

    page = client.get(reverse("aftersales:detail", args=[case.pk]))
    assert 'data-testid="return-step"' in text(page) and 'value="SF"' in text(page)
    refused = client.post(
        reverse("aftersales:return", args=[case.pk]),
        {"company_code": "NOPE", "tracking_no": "SF1234567890"},
        follow=True,
    )
    assert "refused" in text(refused) and refused.status_code == 200
    sent = client.post(
        reverse("aftersales:return", args=[case.pk]),
        {"company_code": "SF", "tracking_no": "SF1234567890"},
        follow=True,
    )
    assert "Return logistics sent" in text(sent) and "SF1234567890" in text(sent)
    live.control("tick")
    page = client.post(reverse("aftersales:refresh", args=[case.pk]), follow=True)

    case.refresh_from_db()
    assert case.status == CaseStatus.REFUNDED
    assert 'data-testid="case-status">Refunded<' in text(page)


def test_messages_modify_and_cancel_on_the_case_page(live, people):
    order = paid_order(people, live)
    client = client_for(people.purchaser)
    save_case(client, order)
    case = RefundCase.objects.get()
    client.post(reverse("aftersales:submit", args=[case.pk]))

    sent = client.post(
        reverse("aftersales:message", args=[case.pk]), {"text": "请尽快处理"}, follow=True
    )
    assert "Message sent." in text(sent) and "请尽快处理" in text(sent)
    case.refresh_from_db()
    refused = client.post(
        reverse("aftersales:modify", args=[case.pk]),
        {"amount": f"{(case.max_fen - 1) / 100:.2f}", "description": ""},
        follow=True,
    )
    assert refused.status_code == 200 and "refunded in full" in text(refused)  # unshipped
    modified = client.post(
        reverse("aftersales:modify", args=[case.pk]),
        {"amount": f"{case.max_fen / 100:.2f}", "description": "颜色不对"},
        follow=True,
    )
    assert "Claim modified." in text(modified) and "颜色不对" in text(modified)
    assert "Withdraw" in text(client.get(reverse("aftersales:cancel", args=[case.pk])))
    client.post(reverse("aftersales:cancel", args=[case.pk]))
    case.refresh_from_db()
    assert case.description == "颜色不对" and case.status == CaseStatus.CLOSED


def test_refusals_are_messages_and_nothing_is_saved(live, people):
    order = paid_order(people, live)
    client = client_for(people.purchaser)

    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("notes.txt", b"just text", content_type="image/png")
    page, _ = save_case(client, order, files=[bad])
    assert page.status_code == 400 and "not a picture" in text(page)
    assert "Nothing was saved." in text(page)
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (5 * 1024 * 1024), content_type="image/png")
    page, _ = save_case(client, order, files=[big])
    assert "at most 5 MB" in text(page)
    page, _ = save_case(client, order, amount="999999.00")
    assert "more than the maximum" in text(page)
    page, _ = save_case(client, order, amount="abc")
    assert "Enter the amount" in text(page)
    nothing = client.get(reverse("aftersales:open", args=[order.pk]), {"ask": "1"})
    assert "choose at least one line".capitalize() in text(nothing)
    assert not RefundCase.objects.exists() and not SandboxRefund.objects.exists()


@pytest.mark.django_db
def test_an_unpaid_order_is_refused_with_a_message(people):
    order = PurchaseOrderFactory(created_by=people.purchaser)
    page = client_for(people.purchaser).get(
        reverse("aftersales:open", args=[order.pk]), {"ask": "1", "line": "1", "qty_1": "1"}
    )
    assert page.status_code == 200 and "only a paid order can be refunded" in text(page)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,args",
    [("aftersales:index", []), ("aftersales:open", [1]), ("aftersales:detail", [1])],
)
def test_permissions(client_as, name, args):
    url = reverse(name, args=args)
    assert client_as("finance").get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_the_empty_list_and_the_filters(client_as):
    client = client_as("purchaser")
    page = client.get(reverse("aftersales:index"))
    assert 'data-testid="empty-state"' in text(page) and "No refund or return yet" in text(page)
    filtered = client.get(reverse("aftersales:index"), {"status": "refunded", "age": "7"})
    assert "No case matches these filters" in text(filtered)
    assert client.get(reverse("aftersales:index"), {"status": "bogus"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [2, 30])
def test_the_list_query_count_does_not_grow(staff_user, rows, django_assert_max_num_queries):
    purchaser = staff_user("purchaser")
    make_cases(purchaser, rows, status=CaseStatus.WAITING_SELLER, waiting_on=WaitingOn.SELLER)
    client = client_for(purchaser)

    with django_assert_max_num_queries(9):
        page = client.get(reverse("aftersales:index"), {"waiting_on": "seller"})

    assert text(page).count('data-testid="case-row"') == min(rows, 25)


@pytest.mark.django_db
def test_the_navigation_shows_the_action_needed_count(staff_user):
    purchaser = staff_user("purchaser")
    make_cases(purchaser, 2, status=CaseStatus.REFUSED, waiting_on=WaitingOn.US)
    make_cases(purchaser, 1, status=CaseStatus.WAITING_SELLER, waiting_on=WaitingOn.SELLER)
    html = client_for(purchaser).get(reverse("aftersales:index")).content.decode()
    assert 'data-testid="aftersales-action-needed" title="Cases waiting on us">2</span>' in html
    finance = client_for(staff_user("finance")).get(reverse("dashboard"))
    assert "After-sales" not in text(finance)
