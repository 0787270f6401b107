"""The sign-in form."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the username's length checked: Django sets max_length on the
    field after building it, so the limit never becomes a validator, and an oversized name
    would reach authenticate() and django-axes' record of failed attempts (255 characters)."""

    def clean_username(self) -> str:
        username = self.cleaned_data.get("username") or ""
        limit = self.fields["username"].max_length
        if limit and len(username) > limit:
            raise forms.ValidationError(
                _("A username has at most %(limit)d characters (this one has %(length)d).")
                % {"limit": limit, "length": len(username)}
            )
        return username
