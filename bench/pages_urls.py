"""The application's URLs plus the benchmark's floor: an empty page behind the same middleware,
session and sign-in as every other page (bench/pages.py times it alongside them)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from openmarac.core.access import signed_in_user


def floor(request: HttpRequest) -> HttpResponse:
    signed_in_user(request)
    return HttpResponse("<!doctype html><title>Floor</title>")


urlpatterns = [
    path("bench-floor/", floor, name="bench_floor"),
    path("", include("openmarac.urls")),
]
handler400 = "openmarac.core.views.bad_request"
handler404 = "openmarac.core.views.not_found"
handler500 = "openmarac.core.views.server_error"
