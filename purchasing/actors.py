"""Who does a business verb: a person (a signed-in user) or a named policy that acts without one
(the storefront's buying policy, "storefront:Demo shop").

Every order service takes either as `actor`. A person is held to their permissions; a policy
holds none and is held instead to its own conditions, which each verb states (it pays only what
a policy accepted, it cancels only what was never sent upstream...). The timeline records the
person, or the policy's label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

# A storefront's buying policy is labelled with this, then the storefront's name.
STOREFRONT_POLICY = "storefront:"


@dataclass(frozen=True)
class Policy:
    """A buying policy acting on its own; `label` names it on every event it writes."""

    label: str

    def __str__(self) -> str:
        return self.label


def is_policy(actor: Any) -> bool:
    return isinstance(actor, Policy)


def person(actor: Any) -> Any:
    """The signed-in user behind the actor; None for a policy, the system or an anonymous one."""
    return actor if getattr(actor, "is_authenticated", False) else None


def actor_label(actor: Any) -> str:
    """How the timeline names the actor: the policy's label, the person's username, or system."""
    if is_policy(actor):
        return actor.label
    if person(actor) is not None:
        return actor.get_username()
    return "system"


# The timeline's actors that are not people (the services' `actor_label`), in words.
ACTOR_WORDS = {
    "system": pgettext_lazy("who acted", "system"),
    "upstream": pgettext_lazy("who acted", "upstream"),
    "warehouse": pgettext_lazy("who acted", "warehouse"),
    "logistics": pgettext_lazy("who acted", "logistics"),
}


def actor_words(label: str) -> str:
    """Who wrote a timeline entry, from its stored label: Caigou's own actors and a
    storefront's buying policy in words; a person's username as it is."""
    if label in ACTOR_WORDS:
        return str(ACTOR_WORDS[label])
    if label.startswith(STOREFRONT_POLICY):
        name = label.removeprefix(STOREFRONT_POLICY)
        return _("the buying policy of “%(storefront)s”") % {"storefront": name}
    return label


def entry_title(event: Any) -> str:
    """A timeline entry (an order's, a case's, a parcel's) named by when and who, in words:
    "2026-12-07 22:45 · 系统"."""
    return (
        f"{timezone.localtime(event.created_at):%Y-%m-%d %H:%M} · {actor_words(event.actor_label)}"
    )
