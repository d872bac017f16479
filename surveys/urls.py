from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("<slug:slug>/", views.survey_form, name="survey"),
    path("<slug:slug>/thank-you/", views.thanks, name="thanks"),
]
