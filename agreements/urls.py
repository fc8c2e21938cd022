from django.urls import path, re_path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("start/", views.agreement_start, name="start"),
    path("<slug:slug>/<int:year>/", views.agreement_detail, name="detail"),
    path("<slug:slug>/<int:year>/targets/", views.agreement_edit, name="edit"),
    path("<slug:slug>/<int:year>/introduction/", views.agreement_details, name="details"),
    path("<slug:slug>/<int:year>/decision/", views.agreement_decide, name="decide"),
    path("<slug:slug>/<int:year>/comments/", views.agreement_comment, name="comment"),
    path("<slug:slug>/<int:year>/upload/", views.agreement_upload, name="upload"),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/(?P<year>[0-9]{4})/targets\.(?P<fmt>csv|xlsx)$",
        views.agreement_download,
        name="download",
    ),
]
