"""Being written in this session."""
from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


returns_list = return_detail = return_decide = threshold = _todo
upload = upload_preview = upload_confirm = template_download = _todo
