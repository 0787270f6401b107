"""1688 through Dajisaas: no after-sales yet. Every operation refuses with one sentence before
anything is sent, so no case is ever stored on a Dajisaas order."""

from __future__ import annotations

from django.utils.functional import lazy

from aftersales.routes.alibaba_pandapon import ALIBABA_GOODS_STATUSES
from aftersales.routes.base import AftersalesRoute, Operation
from purchasing.models import Platform
from purchasing.models.orders import Provider
from purchasing.routes import Capability, route_of
from purchasing.routes.missing import sentence

# The sentence every page says of a missing capability (purchasing/routes/missing.py), in the
# language of the request that reads it.
NOT_YET = lazy(
    lambda: sentence(route_of(Platform.ALIBABA, Provider.DAJISAAS), Capability.AFTERSALES), str
)()


class AlibabaDajisaas(AftersalesRoute):
    platform = Platform.ALIBABA
    provider = Provider.DAJISAAS
    refusals = dict.fromkeys(Operation, NOT_YET)
    # The order page still speaks 1688's vocabulary; the first question asked refuses.
    goods_statuses = ALIBABA_GOODS_STATUSES
