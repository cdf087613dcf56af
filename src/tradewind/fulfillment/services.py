"""Fulfillment use cases available to the core: receiving stock into an FC."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, Self

from tradewind.fulfillment.errors import FulfillmentCenterNotFound, InvalidInventory
from tradewind.fulfillment.model import FulfillmentCenter, InventoryPosition
from tradewind.shared.events import Command


@dataclass(frozen=True)
class ReceiveStock(Command):
    fc_id: str
    seller_id: str
    product_id: str
    sku: str
    quantity: int


class InventoryRepository(Protocol):
    def get(
        self, fc_id: str, sku: str, *, for_update: bool = False
    ) -> InventoryPosition | None: ...
    def add(self, position: InventoryPosition, seller_id: str, product_id: str) -> None: ...
    def save_reserved(self, positions: list[InventoryPosition]) -> None: ...
    def center(self, fc_id: str) -> FulfillmentCenter | None: ...
    def lock(
        self, skus: list[str]
    ) -> tuple[list[InventoryPosition], dict[str, FulfillmentCenter]]: ...


class FulfillmentUnitOfWork(Protocol):
    @property
    def inventory(self) -> InventoryRepository: ...

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...


def receive_stock(cmd: ReceiveStock, uow: FulfillmentUnitOfWork) -> int:
    """Units arrive at an FC and become sellable; returns the new on-hand count."""
    if cmd.quantity <= 0:
        raise InvalidInventory("receive a positive quantity")
    with uow:
        if uow.inventory.center(cmd.fc_id) is None:
            raise FulfillmentCenterNotFound(f"no fulfillment center {cmd.fc_id}")
        pos = uow.inventory.get(cmd.fc_id, cmd.sku, for_update=True)
        if pos is None:
            pos = InventoryPosition(cmd.fc_id, cmd.sku, cmd.quantity)
            uow.inventory.add(pos, cmd.seller_id, cmd.product_id)
        else:
            pos.receive(cmd.quantity)
            uow.inventory.save_reserved([pos])
        uow.commit()
    return pos.on_hand


@dataclass(frozen=True)
class DispatchUnits(Command):
    """Reserved units leave their FCs (packed into packages): on-hand and reserved drop."""

    items: tuple[tuple[str, str, int], ...]  # (fc_id, sku, quantity)


def dispatch_units(cmd: DispatchUnits, uow: FulfillmentUnitOfWork) -> int:
    """Ship reserved units in one transaction; returns the units dispatched."""
    if not cmd.items:
        return 0
    with uow:
        units = ship_units(uow, cmd.items)
        uow.commit()
    return units


def ship_units(uow: FulfillmentUnitOfWork, items: Sequence[tuple[str, str, int]]) -> int:
    """Ship reserved units inside an open unit of work (the caller commits)."""
    if not items:
        return 0
    positions, _ = uow.inventory.lock(sorted({sku for _, sku, _ in items}))
    by_key = {(p.fc_id, p.sku): p for p in positions}
    for fc_id, sku, qty in items:
        by_key[(fc_id, sku)].ship(qty)
    touched = sorted({(sku, fc) for fc, sku, _ in items})
    uow.inventory.save_reserved([by_key[(fc, sku)] for sku, fc in touched])
    return sum(q for _, _, q in items)
