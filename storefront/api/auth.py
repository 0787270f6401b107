"""Bearer API keys (`Authorization: Bearer cg_<prefix>_<secret>`) and the scope each view needs."""

from __future__ import annotations

import hmac
import re
from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from storefront.models import ApiKey, Scope, Storefront, hash_key

KEY_PATTERN = re.compile(r"cg_(?P<prefix>[0-9a-f]{8})_(?P<secret>[A-Za-z0-9_-]{16,64})")
# last_used_at is a hint for staff, not an audit trail: one write a minute per key at most.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """The storefront behind a bearer key; refuses malformed, unknown and revoked keys and
    inactive storefronts with 401 and `WWW-Authenticate: Bearer`."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Storefront, ApiKey] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise exceptions.AuthenticationFailed("Send the key as `Authorization: Bearer cg_...`.")
        match = KEY_PATTERN.fullmatch(raw.strip())
        if match is None:
            raise exceptions.AuthenticationFailed("The API key is malformed.")
        key = ApiKey.objects.select_related("storefront").filter(prefix=match["prefix"]).first()
        # Compare even when the prefix is unknown, so timing does not tell which prefixes exist.
        expected = key.hashed if key is not None else hash_key("")
        if not hmac.compare_digest(hash_key(raw.strip()), expected) or key is None:
            raise exceptions.AuthenticationFailed("The API key is not valid.")
        if not key.is_active:
            raise exceptions.AuthenticationFailed("The API key was revoked.")
        if not key.storefront.is_active:
            raise exceptions.AuthenticationFailed("The storefront is not active.")
        touch(key)
        return key.storefront, key

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


def touch(key: ApiKey) -> None:
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


class HasScope(permissions.BasePermission):
    """An authenticated storefront whose scopes include `scope` (403 otherwise)."""

    scope = ""

    def has_permission(self, request: Request, view: object) -> bool:
        storefront = request.user
        if not isinstance(storefront, Storefront):
            raise exceptions.NotAuthenticated("Send an API key: `Authorization: Bearer cg_...`.")
        if not storefront.has_scope(self.scope):
            raise exceptions.PermissionDenied(f"This key lacks the `{self.scope}` scope.")
        return True


def scope_permission(scope: Scope) -> type[HasScope]:
    return type(
        f"Has{scope.name.title().replace('_', '')}Scope", (HasScope,), {"scope": scope.value}
    )


OrdersRead = scope_permission(Scope.ORDERS_READ)
OrdersWrite = scope_permission(Scope.ORDERS_WRITE)
GoodsRead = scope_permission(Scope.GOODS_READ)
FreightRead = scope_permission(Scope.FREIGHT_READ)
