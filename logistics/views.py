"""Staff pages of addresses, freight and parcels."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from purchasing.permissions import staff_page


@staff_page("purchasing.manage_logistics")
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "logistics/index.html")
