from django.urls import path

from . import views

app_name = "research"
urlpatterns = [
    path("research/", views.research_mine, name="mine"),
    path("research/cases/<int:listing_id>/", views.research_case, name="case"),
    path(
        "research/requests/<int:request_id>/people/<int:participant_id>/",
        views.research_entry,
        name="entry",
    ),
    path("research/requests/<int:request_id>/complete/", views.research_submit_view, name="submit"),
    path("research/entries/<int:entry_id>/history/", views.research_history, name="history"),
    path("meetings/<int:meeting_id>/research/", views.research_board_view, name="board"),
]
