from django.urls import path, re_path

from measures import indicator_page, views

app_name = "measures"
urlpatterns = [
    path("start/", views.start, name="start"),
    path("returns/", views.my_returns, name="returns"),
    # Only these two formats: the name in Content-Disposition never comes from the URL.
    re_path(
        r"^returns/template\.(?P<fmt>csv|xlsx)$", views.returns_template, name="returns_template"
    ),
    path("returns/upload/", views.upload, name="upload"),
    path("returns/upload/<int:pk>/", views.upload_preview, name="upload_preview"),
    path("returns/upload/<int:pk>/confirm/", views.upload_confirm, name="upload_confirm"),
    path("performance/approvals/", views.approvals, name="approvals"),
    path("performance/completion/", views.completion, name="completion"),
    path("performance/periods/", views.periods, name="periods"),
    path("indicators/<str:code>/", indicator_page.indicator_detail, name="indicator"),
]
