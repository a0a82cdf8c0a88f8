from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("refer/", views.start, name="start"),
    path("refer/email/", views.email, name="email"),
    path("refer/email/code/", views.code, name="code"),
    path("refer/sign-out/", views.referrer_sign_out, name="referrer_sign_out"),
    path("refer/referrals/", views.mine, name="mine"),
    path("refer/referrals/new/", views.new, name="new"),
    path("refer/r/<uuid:public_id>/", views.task_list, name="task_list"),
    path("refer/r/<uuid:public_id>/check/", views.check, name="check"),
    path("refer/r/<uuid:public_id>/sent/", views.submitted, name="submitted"),
    path("refer/r/<uuid:public_id>/s/<slug:slug>/", views.section, name="section"),
    path("refer/r/<uuid:public_id>/list/<slug:slug>/", views.list_section, name="list_section"),
    path("refer/r/<uuid:public_id>/list/<slug:slug>/add/", views.item, name="add_item"),
    path("refer/r/<uuid:public_id>/list/<slug:slug>/<int:index>/", views.item, name="item"),
    path(
        "refer/r/<uuid:public_id>/list/<slug:slug>/<int:index>/remove/",
        views.remove_item,
        name="remove_item",
    ),
    path("hub/referrals/", views.hub_queue, name="hub_queue"),
    path("hub/referrals/<uuid:public_id>/", views.hub_detail, name="hub_detail"),
    path("approvals/", views.approval_list, name="approval_list"),
    path("approvals/<uuid:public_id>/", views.approval_detail, name="approval_detail"),
]
