from django.urls import path

from . import views

app_name = "licences"
urlpatterns = [
    path("licences/", views.mine, name="mine"),
    path("licences/request/", views.request_new, name="request"),
    path("hub/licences/", views.hub_list, name="hub_list"),
    path("hub/licences/register/", views.register, name="register"),
    path("hub/licences/<uuid:public_id>/", views.hub_detail, name="hub_detail"),
    path("hub/licences/<uuid:public_id>/<slug:change>/", views.change, name="change"),
]
