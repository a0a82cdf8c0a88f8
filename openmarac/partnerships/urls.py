from django.urls import path

from . import views

app_name = "partnerships"
urlpatterns = [
    path("hub/areas/", views.area_list, name="area_list"),
    path("hub/areas/<int:area_id>/policy/", views.policy_edit, name="policy_edit"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("hub/privacy-notice/", views.privacy_edit, name="privacy_edit"),
]
