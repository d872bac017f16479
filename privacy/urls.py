from django.urls import path

from privacy.views import policy

app_name = "privacy"

urlpatterns = [
    # The policy (P9): the version in force, every published version, what changed.
    path("", policy.current_policy, name="policy"),
    path("versions/", policy.archive, name="archive"),
    path("versions/<int:number>/", policy.policy_version, name="version"),
    path("compare/", policy.compare_choose, name="compare_choose"),
    path("compare/<int:old>/<int:new>/", policy.compare, name="compare"),
]
