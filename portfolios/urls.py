from django.urls import path

from portfolios import views

app_name = "portfolios"
urlpatterns = [
    path("", views.portfolio_list, name="list"),
    path("<slug:slug>/", views.portfolio_detail, name="detail"),
]
