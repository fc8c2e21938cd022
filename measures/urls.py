from django.urls import path, re_path

from measures.views import (
    approvals,
    indicator,
    milestone_owners,
    periods,
    returns,
    returns_template,
    team,
    uploads,
)

app_name = "measures"
urlpatterns = [
    path("start/", returns.start, name="start"),
    path("returns/", returns.my_returns, name="returns"),
    path("returns/submit/", returns.submit_check, name="submit_check"),
    # Only these two formats: the name in Content-Disposition never comes from the URL.
    re_path(
        r"^returns/template\.(?P<fmt>csv|xlsx)$",
        returns_template.returns_template,
        name="returns_template",
    ),
    path("returns/upload/", uploads.upload, name="upload"),
    path("returns/upload/<int:pk>/", uploads.upload_preview, name="upload_preview"),
    path("returns/upload/<int:pk>/confirm/", uploads.upload_confirm, name="upload_confirm"),
    path("performance/", team.team, name="team"),
    path("performance/approvals/", approvals.approvals, name="approvals"),
    path("performance/completion/", periods.completion, name="completion"),
    path("performance/periods/", periods.periods, name="periods"),
    path("performance/periods/<str:code>/<str:move>/", periods.period_move, name="period_move"),
    path("performance/completion/remind/", periods.completion_remind, name="completion_remind"),
    path(
        "performance/milestones/owners/",
        milestone_owners.milestone_owners,
        name="milestone_owners",
    ),
    path("indicators/<str:code>/", indicator.indicator_detail, name="indicator"),
]
