from django.urls import include, path

urlpatterns = [
    path("", include("openmarac.core.urls")),
    path("", include("openmarac.workspace.urls")),
    path("accounts/", include("openmarac.accounts.urls")),
    path("", include("openmarac.referrals.urls")),
    path("", include("openmarac.cases.urls")),
    path("", include("openmarac.partnerships.urls")),
    path("", include("openmarac.meetings.urls")),
    path("", include("openmarac.triage.urls")),
    path("", include("openmarac.licences.urls")),
    path("", include("openmarac.agencies.urls")),
    path("", include("openmarac.audit.urls")),
    path("", include("openmarac.caseaccess.urls")),
    path("", include("openmarac.research.urls")),
    path("", include("openmarac.proceedings.urls")),
    path("", include("openmarac.actions.urls")),
    path("", include("openmarac.emergencies.urls")),
    path("", include("openmarac.idva.urls")),
    path("", include("openmarac.jobs.urls")),
    path("", include("openmarac.reports.urls")),
    path("", include("openmarac.retention.urls")),
    path("", include("openmarac.disclosure.urls")),
    path("", include("openmarac.letters.urls")),
    path("", include("openmarac.search.urls")),
    path("", include("openmarac.caserecord.urls")),
]

handler400 = "openmarac.core.views.bad_request"
handler404 = "openmarac.core.views.not_found"
handler500 = "openmarac.core.views.server_error"
