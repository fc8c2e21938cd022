"""The site's URLs: public plan pages, portfolios, health and readiness checks, admin."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from stockport_plan.health import healthz, readyz

urlpatterns = [
    path("", include("ambitions.urls")),
    path("portfolios/", include("portfolios.urls")),
    path("", include("dashboards.urls")),
    path("committees/", include("reports.urls")),
    path("committees/<slug:slug>/meetings/", include("scrutiny.urls")),
    path("agreements/", include("agreements.urls")),
    path("finance/", include("resources.urls")),
    path("", include("measures.urls")),
    path("", include("accounts.urls")),
    path("performance/people/", include("accounts.people_urls")),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
    path("admin/", admin.site.urls),
]
