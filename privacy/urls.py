from django.urls import path

from privacy.views import policy as views

app_name = "privacy"

urlpatterns = [
    path("", views.current_policy, name="policy"),
    path("versions/<int:number>/", views.policy_version, name="version"),
]
