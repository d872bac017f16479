import secrets

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from reference.models import Submission


def home(request):
    return render(request, "home.html")


@csrf_exempt
def insert(request):
    """GET: a form carrying a fresh token. POST: one row inserted."""
    if request.method == "POST":
        Submission.objects.create(
            name=request.POST["name"], email=request.POST["email"],
            message=request.POST["message"], form_token=request.POST["form_token"])
        return HttpResponse("Thank you", status=201)
    return HttpResponse(
        '<form method="post"><input type="hidden" name="form_token" value="'
        f'{secrets.token_urlsafe(24)}"></form>')
