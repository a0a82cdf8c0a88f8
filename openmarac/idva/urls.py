from django.urls import path

from . import views

app_name = "idva"
urlpatterns = [
    path("idva/contacts/", views.contact_list, name="contacts"),
    path("idva/contacts/<uuid:public_id>/", views.contact_detail, name="contact"),
]
