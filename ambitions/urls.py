from django.urls import path

from ambitions import views

app_name = "ambitions"
urlpatterns = [
    path("", views.home, name="home"),
    path("plan/<slug:plan>/", views.plan_detail, name="plan"),
    path("plan/<slug:plan>/<slug:slug>/", views.block_detail, name="block"),
]
