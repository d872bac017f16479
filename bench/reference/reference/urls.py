from django.urls import path

from reference import views

urlpatterns = [
    path("", views.home),
    path("insert/", views.insert),
]
