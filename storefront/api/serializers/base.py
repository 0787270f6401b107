"""Strict input: a key the serializer does not declare is an error, at every level."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

MAX_FEN = 10**10  # 100 million yuan: far above any order, far below overflow
MAX_QUANTITY = 9999


class StrictSerializer(serializers.Serializer):
    """A Serializer that refuses keys it does not declare (nested strict ones do the same)."""

    def to_internal_value(self, data: Any) -> Any:
        unknown = {}
        if isinstance(data, dict):
            known = {name for name, field in self.fields.items() if not field.read_only}
            unknown = {
                str(name): ["Unknown field: it is not part of this request."]
                for name in data
                if name not in known
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({**exc.detail, **unknown}) from exc
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


def fen_field(**kwargs: Any) -> serializers.IntegerField:
    """An amount in fen (CNY minor units): 0 to 10^10."""
    return serializers.IntegerField(min_value=0, max_value=MAX_FEN, **kwargs)


def item_id_field() -> serializers.RegexField:
    """A Taobao itemId or 1688 offerId: digits."""
    return serializers.RegexField(
        r"^[0-9]{1,20}$",
        max_length=20,
        error_messages={"invalid": "The Taobao itemId or 1688 offerId: 1 to 20 digits."},
        help_text="The Taobao itemId or 1688 offerId.",
    )


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable word to branch on, e.g. `invalid`.")
    message = serializers.CharField(help_text="A sentence for a person.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each bad input (dotted when nested: `lines.0.quantity`) and its messages.",
    )


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx and 5xx answer."""

    error = ErrorDetailSerializer()
