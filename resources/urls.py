from django.urls import path, re_path

from resources.views import returns, uploads

app_name = "resources"
urlpatterns = [
    path("", returns.finance_home, name="home"),
    path("returns/<int:pk>/", returns.finance_return, name="return"),
    path(
        "returns/<int:pk>/approve/",
        returns.finance_decide,
        {"decision": "approve"},
        name="approve",
    ),
    path(
        "returns/<int:pk>/return/",
        returns.finance_decide,
        {"decision": "return"},
        name="return_back",
    ),
    path("threshold/", returns.finance_threshold, name="threshold"),
    path("upload/", uploads.finance_upload, name="upload"),
    path("upload/<int:pk>/", uploads.finance_upload_preview_page, name="upload_preview"),
    path("upload/<int:pk>/confirm/", uploads.finance_upload_confirm_page, name="upload_confirm"),
    re_path(r"^template\.(?P<fmt>csv|xlsx)$", uploads.finance_template, name="template"),
]
