from django.db import models


class Submission(models.Model):
    """What the site's Information Request stores, roughly: a few short fields and a
    message, plus the token each submission carries (unique: duplicates would show)."""

    name = models.CharField(max_length=200)
    email = models.EmailField()
    message = models.TextField()
    form_token = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.form_token
