from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("letters/templates/", views.templates, name="templates"),
    path("letters/templates/<slug:kind>/", views.template_edit, name="template_edit"),
    path("cases/<str:reference>/letters/", views.case_letters, name="case"),
    path("cases/<str:reference>/letters/<slug:kind>/new/", views.letter_new, name="new"),
    path("letters/<uuid:public_id>/", views.letter_pdf, name="pdf"),
]
