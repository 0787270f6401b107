"""Order pages: the list with filters and bulk actions, one order with its timeline and the
actions its state allows, and the exceptions queue.

Views call services only. Anything that spends money or cannot be undone goes through a
confirmation page first; a refusal (OrderError) or an upstream failure is a sentence on the
page, never a server error.
"""
