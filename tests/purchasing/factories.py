from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from purchasing.models import StaffProfile

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
