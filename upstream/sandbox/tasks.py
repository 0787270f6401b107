"""The simulator's own Celery tasks: delivering its callbacks. They live beside it, so a Caigou
without the sandbox has none of them."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="upstream.sandbox.deliver_callback", acks_late=True)
def deliver_sandbox_callback(callback_id: int) -> None:
    """One delivery attempt of a sandbox callback; it schedules its own retry."""
    from upstream.sandbox import callbacks

    callbacks.deliver_once_and_schedule(callback_id)


@shared_task(name="upstream.sandbox.release_held_callbacks", acks_late=True)
def release_held_sandbox_callbacks() -> int:
    """Deliver the callbacks a reorder fault held back, newest first."""
    from upstream.sandbox import callbacks

    return callbacks.release_held()
