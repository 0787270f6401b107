"""Staff pages of the upstream carts."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from purchasing.permissions import staff_page


@staff_page("purchasing.use_carts")
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "carts/index.html")
