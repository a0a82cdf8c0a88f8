from django.urls import path

from . import views

app_name = "disclosure"

urlpatterns = [
    path("subject-access/", views.sar_list, name="sar_list"),
    path("subject-access/new/", views.sar_new, name="sar_new"),
    path("subject-access/<uuid:public_id>/", views.sar_detail, name="sar"),
    path("subject-access/<uuid:public_id>/identity/", views.sar_identity, name="sar_identity"),
    path("subject-access/<uuid:public_id>/extend/", views.sar_extend, name="sar_extend"),
    path("subject-access/<uuid:public_id>/subject/", views.sar_subject, name="sar_subject"),
    path("subject-access/<uuid:public_id>/items/<int:item_id>/", views.sar_item, name="sar_item"),
    path("subject-access/<uuid:public_id>/pack/", views.sar_pack, name="sar_pack"),
    path("subject-access/<uuid:public_id>/answered/", views.sar_complete, name="sar_complete"),
    path("court-orders/", views.court_list, name="court_list"),
    path("court-orders/new/", views.court_new, name="court_new"),
    path("court-orders/<uuid:public_id>/", views.court_detail, name="court"),
    path("court-orders/<uuid:public_id>/proceed/", views.court_proceed, name="court_proceed"),
    path("court-orders/<uuid:public_id>/items/<int:item_id>/", views.court_item, name="court_item"),
    path("court-orders/<uuid:public_id>/bundle/", views.court_bundle, name="court_bundle"),
    path("court-orders/<uuid:public_id>/respond/", views.court_respond, name="court_respond"),
]
