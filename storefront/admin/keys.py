"""Admin for storefronts and their API keys: keys are listed (never shown again after they are
issued), revoked, and rotated; a new raw key is shown once, in a message."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from purchasing.admin.money import YuanAdminMixin
from storefront.models import ALL_SCOPES, ApiKey, Scope, Storefront


class HttpsUrlField(forms.URLField):
    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class StorefrontForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Storefront
        fields = ["name", "is_active", "scopes", "policy", "tolerance_fen", "webhook_url"]
        widgets = {"webhook_url": forms.URLInput(attrs={"size": 60})}
        field_classes = {"webhook_url": HttpsUrlField}

    def clean_scopes(self) -> list[str]:
        chosen = self.cleaned_data["scopes"]
        return [scope for scope in ALL_SCOPES if scope in chosen]


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    can_delete = False
    fields = ["prefix", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Storefront | None = None) -> bool:
        return False


def show_new_key(request: HttpRequest, storefront: Storefront, raw: str) -> None:
    messages.warning(
        request,
        _("New API key for %(storefront)s: %(key)s — copy it now; it is not shown again.")
        % {"storefront": storefront, "key": raw},
    )


def rotate(
    request: HttpRequest, storefront: Storefront, old: QuerySet[ApiKey] | None = None
) -> None:
    """A new key for `storefront`; `old` keys (default: every live one) are revoked."""
    old = storefront.keys.all() if old is None else old.filter(storefront=storefront)
    with transaction.atomic():
        for key in old.select_for_update().filter(revoked_at__isnull=True):
            key.revoke()
        _, raw = ApiKey.issue(storefront, name="rotated in the admin")
    show_new_key(request, storefront, raw)


@admin.register(Storefront)
class StorefrontAdmin(YuanAdminMixin, admin.ModelAdmin):
    form = StorefrontForm
    list_display = ["name", "is_active", "policy", "webhook_url", "created_at"]
    list_filter = ["is_active", "policy"]
    search_fields = ["name"]
    readonly_fields = ["webhook_secret", "created_at"]
    inlines = [ApiKeyInline]
    actions = ["rotate_keys", "revoke_keys"]

    def save_model(
        self, request: HttpRequest, obj: Storefront, form: forms.ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            _, raw = ApiKey.issue(obj, name="issued in the admin")
            show_new_key(request, obj, raw)

    @admin.action(description=gettext_lazy("Rotate: issue a new key and revoke the old ones"))
    def rotate_keys(self, request: HttpRequest, queryset: QuerySet[Storefront]) -> None:
        for storefront in queryset:
            rotate(request, storefront)

    @admin.action(description=gettext_lazy("Revoke every key"))
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[Storefront]) -> None:
        keys = ApiKey.objects.filter(storefront__in=queryset, revoked_at__isnull=True)
        count = 0
        for key in keys:
            key.revoke()
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d key(s) revoked.", "%(count)d key(s) revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "storefront", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["storefront", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["storefront"]
    search_fields = ["prefix", "storefront__name", "name"]
    fields = ["storefront", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["storefront", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke", "rotate"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # keys are issued by rotating, so the raw key is shown exactly once

    @admin.action(description=gettext_lazy("Revoke"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset:
            key.revoke()
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(count)d key(s) revoked.", "%(count)d key(s) revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=gettext_lazy("Rotate: a new key for the storefront, this one revoked")
    )
    def rotate(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for storefront in Storefront.objects.filter(keys__in=queryset).distinct():
            rotate(request, storefront, queryset)
