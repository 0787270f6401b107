"""The sandbox's own state: catalogue, carts and orders, after-sales, logistics, control."""

from upstream.sandbox.models.aftersales import *  # noqa: F403
from upstream.sandbox.models.catalogue import *  # noqa: F403
from upstream.sandbox.models.control import *  # noqa: F403
from upstream.sandbox.models.logistics import *  # noqa: F403
from upstream.sandbox.models.orders import *  # noqa: F403
