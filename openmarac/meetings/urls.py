from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.calendar, name="calendar"),
    path("meetings/areas/<int:area_id>/add/", views.meeting_add_view, name="add"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("meetings/<int:meeting_id>/move/", views.meeting_move_view, name="move"),
    path("meetings/<int:meeting_id>/cancel/", views.meeting_cancel_view, name="cancel"),
    path("meetings/<int:meeting_id>/publish/", views.meeting_publish_view, name="publish"),
    path("meetings/listings/<int:listing_id>/move/", views.listing_move_view, name="listing_move"),
]
