from django.urls import path

from privacy.views import newsletter

app_name = "newsletter"

urlpatterns = [
    # P3, P6: double opt-in, and the link in every issue that stops it.
    path("", newsletter.signup, name="signup"),
    path("sent/", newsletter.signup_sent, name="signup_sent"),
    path("confirm/<str:token>/", newsletter.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", newsletter.unsubscribe, name="unsubscribe"),
]
