"""Caigou's URLs plus two yardsticks for the others: /bench/bare, the cheapest Django view, and
/bench/insert, a bare view that stores the request body with one durable INSERT (autocommit,
`synchronous_commit` on): the floor of any store-first ingest, which a callback cannot beat."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from bench.serve import FLOOR_TABLE
from config.urls import urlpatterns as caigou


@csrf_exempt
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b'{"ok":true}', content_type="application/json")


@csrf_exempt
def insert(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FLOOR_TABLE} (body) VALUES (%s)", [request.body.decode()])
    return HttpResponse(b'{"ok":true}', content_type="application/json")


urlpatterns = [path("bench/bare", bare), path("bench/insert", insert), *caigou]
