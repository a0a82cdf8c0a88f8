from django.urls import path

from .views import court_orders, subject_access

app_name = "disclosure"

urlpatterns = [
    path("subject-access/", subject_access.sar_list, name="sar_list"),
    path("subject-access/new/", subject_access.sar_new, name="sar_new"),
    path("subject-access/<uuid:public_id>/", subject_access.sar_detail, name="sar"),
    path(
        "subject-access/<uuid:public_id>/identity/",
        subject_access.sar_identity,
        name="sar_identity",
    ),
    path("subject-access/<uuid:public_id>/extend/", subject_access.sar_extend, name="sar_extend"),
    path(
        "subject-access/<uuid:public_id>/subject/", subject_access.sar_subject, name="sar_subject"
    ),
    path(
        "subject-access/<uuid:public_id>/items/<int:item_id>/",
        subject_access.sar_item,
        name="sar_item",
    ),
    path("subject-access/<uuid:public_id>/pack/", subject_access.sar_pack, name="sar_pack"),
    path(
        "subject-access/<uuid:public_id>/answered/",
        subject_access.sar_complete,
        name="sar_complete",
    ),
    path("court-orders/", court_orders.court_list, name="court_list"),
    path("court-orders/new/", court_orders.court_new, name="court_new"),
    path("court-orders/<uuid:public_id>/", court_orders.court_detail, name="court"),
    path(
        "court-orders/<uuid:public_id>/proceed/", court_orders.court_proceed, name="court_proceed"
    ),
    path(
        "court-orders/<uuid:public_id>/items/<int:item_id>/",
        court_orders.court_item,
        name="court_item",
    ),
    path("court-orders/<uuid:public_id>/bundle/", court_orders.court_bundle, name="court_bundle"),
    path(
        "court-orders/<uuid:public_id>/respond/", court_orders.court_respond, name="court_respond"
    ),
]
