from django.urls import URLPattern

app_name = "actions"
urlpatterns: list[URLPattern] = []
