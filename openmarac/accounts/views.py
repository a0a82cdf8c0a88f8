"""Signing in and out. Every attempt is audited; failures never say which part was wrong."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record

from .forms import SignInForm
from .models import User


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is not None and user.is_active:
            login(request, user)  # rotates the session key
            audit_record(action="auth.sign_in", request=request, actor=user)
            return redirect(next_url or "core:home")
        known = User.objects.filter(username=form.cleaned_data["username"]).first()
        audit_record(
            action="auth.sign_in",
            request=request,
            actor=known,
            outcome=Outcome.FAILURE,
            detail={"known_user": known is not None},
        )
        form.add_error(None, "The username or password is not correct")
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(action="auth.sign_out", request=request)
    logout(request)
    response = redirect("accounts:sign_in")
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response
