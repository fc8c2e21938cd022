from django.urls import path

from resources.views import returns, upload

app_name = "resources"
urlpatterns = [
    path("", returns.returns_list, name="returns"),
    path("<int:pk>/", returns.return_detail, name="return"),
    path("<int:pk>/decide/", returns.return_decide, name="decide"),
    path("threshold/", returns.threshold, name="threshold"),
    path("upload/", upload.upload, name="upload"),
    path("upload/<int:pk>/", upload.upload_preview, name="upload_preview"),
    path("upload/<int:pk>/confirm/", upload.upload_confirm, name="upload_confirm"),
    path("template/", upload.template_download, name="template"),
]
