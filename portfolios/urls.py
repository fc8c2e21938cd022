from django.urls import path

from portfolios import dashboard_views, views

app_name = "portfolios"
urlpatterns = [
    path("", views.portfolio_list, name="list"),
    path("<slug:slug>/", views.portfolio_detail, name="detail"),
    path("<slug:slug>/dashboard/", dashboard_views.portfolio_dashboard, name="dashboard"),
]
