"""Staff users in a role, and the goods pages' URLs and sandbox products for the page tests."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from purchasing.models import StaffProfile
from upstream.sandbox.models import Product as SandboxProduct

PASSWORD = "correct horse battery"


class StaffUserFactory(factory.django.DjangoModelFactory):
    """A staff user in one role (default purchaser); `role=""` makes a user with no role."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    is_staff = True
    password = factory.django.Password(PASSWORD)
    profile = factory.RelatedFactory(
        "tests.purchasing.factories.StaffProfileFactory", factory_related_name="user"
    )

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs) -> None:
        name = "purchaser" if extracted is None else extracted
        if create and name:
            self.groups.add(Group.objects.get(name=name))


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    order_limit_fen = None


UNREACHABLE = "The upstream is not reachable right now. Try again in a moment."


def sandbox_product(platform: str, index: int = 0) -> SandboxProduct:
    """The sandbox catalogue's INDEX-th product of PLATFORM."""
    return SandboxProduct.objects.filter(platform=platform).order_by("pk")[index]


def item_url(platform: str, item_id: str) -> str:
    """The item page of one product."""
    return reverse("goods:item", kwargs={"platform": platform, "item_id": item_id})


def search(client, **params):
    """GET the goods search page with PARAMS."""
    return client.get(reverse("goods:index"), params)


def look_alikes(row, count: int = 25) -> None:
    """Give `count` other sandbox products of the row's platform the row's pictures, so a
    search by its picture finds more than one page."""
    others = SandboxProduct.objects.filter(platform=row.platform).exclude(pk=row.pk)
    pks = list(others.values_list("pk", flat=True)[:count])
    SandboxProduct.objects.filter(pk__in=pks).update(image_signature=row.image_signature)
