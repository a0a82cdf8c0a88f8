from django.urls import URLPattern

app_name = "caseaccess"
urlpatterns: list[URLPattern] = []
