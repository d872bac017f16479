from django.urls import path

from inquiries import views
from inquiries.models import Form

app_name = "inquiries"

urlpatterns = [
    path("information-request/", views.inquiry_form, {"purpose": Form.INFORMATION},
         name="information"),
    path("support-request/", views.inquiry_form, {"purpose": Form.SUPPORT}, name="support"),
    path("request-received/<str:signed>/", views.thanks, name="thanks"),
    path("request-status/", views.status_ask, name="status_ask"),
    path("request-status/sent/", views.status_sent, name="status_sent"),
    path("request-status/view/<str:signed>/", views.status, name="status"),
]
