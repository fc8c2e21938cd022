"""The site's URLs: public plan pages, portfolios, health check and admin."""

from django.contrib import admin
from django.urls import include, path

from stockport_plan.health import healthz

urlpatterns = [
    path("", include("ambitions.urls")),
    path("portfolios/", include("portfolios.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
