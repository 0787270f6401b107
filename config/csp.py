"""The Content-Security-Policy, built from settings that the environment decides. A function, so
production builds it again once it knows whether the sandbox is on: the sandbox's picture origin
is allowed only while the sandbox serves pictures."""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.constants import NONCE


def content_security_policy(image_sources: list[str], sandbox_base_url: str | None) -> dict:
    """django-csp's CONTENT_SECURITY_POLICY. `image_sources` are the picture origins allowed
    beyond our own; `sandbox_base_url` adds the sandbox's origin (None when it is off)."""
    images = list(image_sources)
    if sandbox_base_url:
        sandbox = urlsplit(sandbox_base_url)
        images.append(f"{sandbox.scheme}://{sandbox.netloc}")
    return {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            # The nonce appears only on pages that ask for it: the API docs' init script.
            "script-src": ["'self'", NONCE],
            "style-src": ["'self'"],
            "img-src": ["'self'", "data:", "blob:", *images],
            "connect-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'none'"],
            "frame-ancestors": ["'none'"],
            "form-action": ["'self'"],
        },
    }
