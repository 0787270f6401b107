"""Logistics traces of upstream orders: parcels and their events, oldest first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from upstream.types.base import Record, id_str
from upstream.types.orders.common import CHINA, _str, parse_time


@dataclass(kw_only=True)
class TraceEvent(Record):
    time: datetime | None
    description: str
    status: str = ""
    city: str = ""


@dataclass(kw_only=True)
class LogisticsTrace(Record):
    """One parcel: carrier, tracking number and its events, oldest first."""

    order_id: str = ""
    carrier: str = ""
    carrier_code: str = ""
    tracking_no: str = ""
    events: list[TraceEvent] = field(default_factory=list)
    receiver: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def list_from_taobao(cls, data: dict[str, Any] | None) -> list[LogisticsTrace]:
        """`/v2/taobao/order/logistics/detail/get`: `pnmLogisticsDetails[]`."""
        data = data or {}
        traces = []
        for detail in data.get("pnmLogisticsDetails") or []:
            partners = detail.get("logisticsPartner") or [{}]
            events = [
                TraceEvent(
                    raw=event,
                    time=parse_time(event.get("time")),
                    description=event.get("standerdDesc") or event.get("statusDesc") or "",
                    status=_str(event.get("status")),
                    city=_str(event.get("city")),
                )
                for event in detail.get("logisticsTraces") or []
            ]
            traces.append(
                cls(
                    raw=detail,
                    order_id=_str(data.get("purchaseOrderOuterId")),
                    carrier=_str(partners[0].get("company")),
                    carrier_code=_str(partners[0].get("companyCode")),
                    tracking_no=_str(detail.get("mailNo")),
                    events=sorted(
                        events, key=lambda e: e.time or datetime.min.replace(tzinfo=CHINA)
                    ),
                    receiver=detail.get("receiver") or {},
                )
            )
        return traces

    @classmethod
    def list_from_alibaba(cls, data: dict[str, Any] | None) -> list[LogisticsTrace]:
        """`logisticsTrace[{logisticsId, orderId, logisticsBillNo, logisticsCompanyName, cpCode,
        logisticsSteps[{acceptTime, remark, status}]}]` (official getLogisticsTraceInfo)."""
        return [
            cls(
                raw=parcel,
                order_id=id_str(parcel.get("orderId")),
                carrier=_str(parcel.get("logisticsCompanyName")),
                carrier_code=_str(parcel.get("cpCode")),
                tracking_no=_str(parcel.get("logisticsBillNo")),
                events=[
                    TraceEvent(
                        raw=step,
                        time=parse_time(step.get("acceptTime")),
                        description=_str(step.get("remark")),
                        status=_str(step.get("status")),
                    )
                    for step in parcel.get("logisticsSteps") or []
                ],
            )
            for parcel in (data or {}).get("logisticsTrace") or []
        ]
