from django.urls import path

from privacy.views import choices, policy
from privacy.views import requests as request_views

app_name = "privacy"

urlpatterns = [
    # The policy (P9): the version in force, every published version, what changed.
    path("", policy.current_policy, name="policy"),
    path("versions/", policy.archive, name="archive"),
    path("versions/<int:number>/", policy.policy_version, name="version"),
    path("compare/", policy.compare_choose, name="compare_choose"),
    path("compare/<int:old>/<int:new>/", policy.compare, name="compare"),
    # The choice a material change or a new use asks, from its mail's signed link.
    path("choice/<str:token>/", choices.policy_choice, name="policy_choice"),
    # Privacy requests (P6, P8) and the recipients list (P10).
    path("requests/", request_views.request_new, name="request_new"),
    path("requests/sent/", request_views.request_sent, name="request_sent"),
    path("requests/confirm/<str:token>/", request_views.request_verify, name="request_verify"),
    path("requests/copy/<str:token>/", request_views.request_copy, name="request_copy"),
    path("requests/copy/<str:token>/data.json", request_views.request_copy_json,
         name="request_copy_json"),
    path("requests/copy/<str:token>/data.csv", request_views.request_copy_csv,
         name="request_copy_csv"),
    path("recipients/", request_views.recipients, name="recipients"),
]
