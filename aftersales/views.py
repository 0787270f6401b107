"""Staff pages of refunds and returns."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from purchasing.permissions import staff_page


@staff_page("purchasing.manage_aftersales")
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "aftersales/index.html")
