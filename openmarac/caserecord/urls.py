from django.urls import path

from . import views

app_name = "caserecord"
urlpatterns = [
    path("cases/<str:reference>/", views.case_record, name="record"),
    path("cases/<str:reference>/record.pdf", views.case_record_pdf, name="pdf"),
]
