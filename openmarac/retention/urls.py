from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("retention/", views.queue, name="queue"),
    path("retention/cases/<str:reference>/", views.case_review, name="case"),
    path("retention/cases/<str:reference>/extend/", views.extend, name="extend"),
    path("retention/cases/<str:reference>/hold/", views.hold, name="hold"),
    path("retention/cases/<str:reference>/lift-hold/", views.lift, name="lift"),
    path("retention/cases/<str:reference>/group/", views.change_group, name="group"),
    path("retention/cases/<str:reference>/recommend/", views.recommend, name="recommend"),
    path("retention/cases/<str:reference>/reject/", views.reject, name="reject"),
    path("retention/cases/<str:reference>/approve/", views.approve, name="approve"),
    path("retention/certificates/", views.certificates, name="certificates"),
    path("retention/certificates/<int:certificate_id>/", views.certificate, name="certificate"),
    path("retention/archive/", views.archive, name="archive"),
    path("retention/archive/<str:reference>/", views.archived_case, name="archived_case"),
    path("retention/rules/", views.rules, name="rules"),
    path("retention/rules/<int:area_id>/new/", views.group_edit, name="group_add"),
    path("retention/rules/<int:area_id>/<int:group_id>/", views.group_edit, name="group_edit"),
]
