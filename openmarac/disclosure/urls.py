from django.urls import path

from . import court_views, sar_views

app_name = "disclosure"

urlpatterns = [
    path("subject-access/", sar_views.sar_list, name="sar_list"),
    path("subject-access/new/", sar_views.sar_new, name="sar_new"),
    path("subject-access/<uuid:public_id>/", sar_views.sar_detail, name="sar"),
    path("subject-access/<uuid:public_id>/identity/", sar_views.sar_identity, name="sar_identity"),
    path("subject-access/<uuid:public_id>/extend/", sar_views.sar_extend, name="sar_extend"),
    path("subject-access/<uuid:public_id>/subject/", sar_views.sar_subject, name="sar_subject"),
    path(
        "subject-access/<uuid:public_id>/items/<int:item_id>/", sar_views.sar_item, name="sar_item"
    ),
    path("subject-access/<uuid:public_id>/pack/", sar_views.sar_pack, name="sar_pack"),
    path("subject-access/<uuid:public_id>/answered/", sar_views.sar_complete, name="sar_complete"),
    path("court-orders/", court_views.court_list, name="court_list"),
    path("court-orders/new/", court_views.court_new, name="court_new"),
    path("court-orders/<uuid:public_id>/", court_views.court_detail, name="court"),
    path("court-orders/<uuid:public_id>/proceed/", court_views.court_proceed, name="court_proceed"),
    path(
        "court-orders/<uuid:public_id>/items/<int:item_id>/",
        court_views.court_item,
        name="court_item",
    ),
    path("court-orders/<uuid:public_id>/bundle/", court_views.court_bundle, name="court_bundle"),
    path("court-orders/<uuid:public_id>/respond/", court_views.court_respond, name="court_respond"),
]
