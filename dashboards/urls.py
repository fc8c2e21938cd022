from django.urls import path

from dashboards import open_data_views, schemes, views

app_name = "dashboards"
urlpatterns = [
    path("dashboard/", views.plan_dashboard, name="plan"),
    path("portfolios/<slug:slug>/dashboard/", views.portfolio_dashboard, name="portfolio"),
    path("plan/<slug:plan>/schemes/<slug:slug>/", schemes.scheme_detail, name="scheme"),
    path("open-data/", views.open_data_page, name="open_data"),
    path("open-data/readings.csv", views.open_data_csv, name="open_data_csv"),
    path("open-data/readings.json", views.open_data_json, name="open_data_json"),
    path("open-data/datapackage.json", views.open_data_package, name="open_data_package"),
    path(
        "open-data/finance.csv",
        open_data_views.open_data_finance_csv,
        name="open_data_finance_csv",
    ),
    path(
        "open-data/finance.json",
        open_data_views.open_data_finance_json,
        name="open_data_finance_json",
    ),
]
