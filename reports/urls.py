from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.committee_list, name="committees"),
    path("<slug:slug>/reports/", views.committee_reports, name="list"),
    path("<slug:slug>/reports/<int:pk>/status.json", views.report_status, name="status"),
    path("<slug:slug>/reports/<int:pk>/<str:fmt>", views.report_download, name="download"),
]
