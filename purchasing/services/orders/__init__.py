"""Purchase order services: one function per business verb (see each module).

Import them by full path (`from purchasing.services.orders.submit import order_submit`).
"""
