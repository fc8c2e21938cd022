from django.urls import path

from portfolios import report_views

app_name = "reports"
urlpatterns = [
    path("", report_views.committee_list, name="committees"),
    path("<slug:slug>/reports/", report_views.committee_reports, name="list"),
    path("<slug:slug>/reports/<int:pk>/status.json", report_views.report_status, name="status"),
    path("<slug:slug>/reports/<int:pk>/<str:fmt>", report_views.report_download, name="download"),
]
