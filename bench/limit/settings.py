"""Settings of the limit app: DRF with no authentication, no middleware but the bench's SQL
counter, one database on a persistent connection with the same options as QuickCare's
(prepared statements after two uses), nothing else installed."""

import os

import environ

env = environ.Env()
SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
INSTALLED_APPS = ["rest_framework"]
MIDDLEWARE = ["bench.sqlcount.SqlCountMiddleware"]
ROOT_URLCONF = "bench.limit.urls"
WSGI_APPLICATION = "bench.limit.wsgi.application"
USE_TZ = True
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 2}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": None,
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
