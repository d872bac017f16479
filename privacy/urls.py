from django.urls import path

from privacy.views import policy as views
from privacy.views import requests as request_views

app_name = "privacy"

urlpatterns = [
    path("", views.current_policy, name="policy"),
    path("versions/<int:number>/", views.policy_version, name="version"),
    # Privacy requests (P6, P8) and the recipients list (P10).
    path("requests/", request_views.request_new, name="request_new"),
    path("requests/sent/", request_views.request_sent, name="request_sent"),
    path("requests/confirm/<str:token>/", request_views.request_verify, name="request_verify"),
    path("requests/copy/<str:token>/", request_views.request_copy, name="request_copy"),
    path("requests/copy/<str:token>/data.json", request_views.request_copy_json,
         name="request_copy_json"),
    path("recipients/", request_views.recipients, name="recipients"),
]
