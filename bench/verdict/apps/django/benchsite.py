"""Bench app on Django, in one module (settings, URLs, views, WSGI application):
GET /up, GET /page?id=N (see ../common/bench_work.py). gunicorn benchsite:application."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import bench_work  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only-not-a-secret",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    INSTALLED_APPS=["django.contrib.contenttypes"],
    DATABASES={},
    USE_TZ=True,
    LOGGING_CONFIG=None,
)

import django  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

django.setup()


def up(request):
    return HttpResponse("ok", content_type="text/plain")


def page(request):
    return HttpResponse(bench_work.page(bench_work.page_id(request.GET.get("id"))))


urlpatterns = [path("up", up), path("page", page)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
