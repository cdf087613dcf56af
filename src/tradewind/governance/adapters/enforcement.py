"""Enforcement that takes effect: applies a case's ``EnforcementAction`` to the marketplace
tables, records what it changed, and undoes exactly that when an appeal overturns it.

* suppress offer -> ``offers.suppressed`` (out of search, product pages, the buy box and
  checkout); one ``offer_suppressions`` row per (offer, action), so the flag clears only
  when no active action suppresses the offer any more;
* suspend seller -> KYC status ``suspended`` (so the seller cannot create offers:
  ``seller_not_active``) and every offer of the seller suppressed;
* hold funds -> a balanced ledger transaction from ``seller:<id>:payable`` to
  ``seller:<id>:held``: the payable balance that settlement pays out shrinks by the hold;
* destroy units -> the unreserved units of the SKU written off at every FC (irreversible);
* block units, remove reviews -> recorded (no quarantine or review store exists yet).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, exists, func, insert, select, update

from tradewind.governance.adapters import tables as g
from tradewind.governance.case import ActionKind, Case, EnforcementAction
from tradewind.governance.errors import InvalidEnforcementTarget
from tradewind.governance.scores import Subject, SubjectKind
from tradewind.marketplace.ledger import seller_payable
from tradewind.marketplace.model import KycStatus, sku_for
from tradewind.platform.db import statements as st
from tradewind.platform.db import tables as t
from tradewind.shared.money import Money


def seller_held(seller_id: str) -> str:
    return f"seller:{seller_id}:held"


def _txn(prefix: str, action_id: str) -> str:
    return f"{prefix}-{hashlib.sha256(action_id.encode()).hexdigest()[:24]}"


_TARGET_KINDS: dict[ActionKind, frozenset[SubjectKind]] = {
    ActionKind.SUPPRESS_OFFER: frozenset({SubjectKind.OFFER}),
    ActionKind.SUSPEND_SELLER: frozenset({SubjectKind.SELLER}),
    ActionKind.HOLD_FUNDS: frozenset({SubjectKind.SELLER}),
    ActionKind.BLOCK_UNITS: frozenset({SubjectKind.UNIT}),
    ActionKind.DESTROY_UNITS: frozenset({SubjectKind.UNIT}),
    ActionKind.REMOVE_REVIEWS: frozenset(
        {SubjectKind.REVIEW, SubjectKind.ACCOUNT, SubjectKind.SELLER}
    ),
}


_SELLER_WIDE = frozenset({ActionKind.SUSPEND_SELLER, ActionKind.HOLD_FUNDS})


class SqlEnforcer:
    """Applies and reverses actions inside the caller's transaction (``conn``)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.touched_products: set[str] = set()  # for the search index, after commit

    # -- checks ----------------------------------------------------------------------------
    def default_target(self, case: Case, kind: ActionKind) -> Subject:
        """What a one-click action hits: the case subject if the action fits it, else the
        respondent seller (seller-wide actions), else the SKU of the offer under review."""
        allowed = _TARGET_KINDS[kind]
        if case.subject.kind in allowed and kind not in _SELLER_WIDE:
            return case.subject
        if SubjectKind.SELLER in allowed:
            return Subject(SubjectKind.SELLER, case.respondent)
        if SubjectKind.UNIT in allowed and case.subject.kind is SubjectKind.OFFER:
            o = t.offers.c
            row = self.conn.execute(
                select(o.seller_id, o.product_id).where(o.offer_id == case.subject.ref)
            ).first()
            if row is not None:
                return Subject(SubjectKind.UNIT, sku_for(row.seller_id, row.product_id))
        return case.subject

    def check_target(self, case: Case, kind: ActionKind, target: Subject) -> None:
        """A target must fit the action and belong to the case: its subject, its respondent,
        or an offer / SKU of the respondent."""
        if target.kind not in _TARGET_KINDS[kind]:
            raise InvalidEnforcementTarget(f"{kind} cannot target a {target.kind}")
        if target == case.subject:
            return
        if target == Subject(SubjectKind.SELLER, case.respondent):
            return
        owner: str | None = None
        if target.kind is SubjectKind.OFFER:
            owner = self.conn.execute(
                select(t.offers.c.seller_id).where(t.offers.c.offer_id == target.ref)
            ).scalar()
        elif target.kind is SubjectKind.UNIT:
            owner = self.conn.execute(
                select(t.inventory_positions.c.seller_id)
                .where(t.inventory_positions.c.sku == target.ref)
                .limit(1)
            ).scalar()
        if owner != case.respondent:
            raise InvalidEnforcementTarget(
                f"{target} is not the case subject nor held by respondent {case.respondent}"
            )

    def payable_balances(self, seller_id: str) -> list[Money]:
        """Every positive payable balance of the seller, one per currency, in currency order
        (what a one-click hold holds: all of them)."""
        le = t.ledger_entries.c
        rows = self.conn.execute(
            select(le.currency, func.sum(le.amount_minor))
            .where(le.account == seller_payable(seller_id))
            .group_by(le.currency)
        ).all()
        return sorted(
            (Money(-int(total), str(cur)) for cur, total in rows if -int(total) > 0),
            key=lambda m: m.currency,
        )

    # -- apply -----------------------------------------------------------------------------
    def apply(self, case: Case, action: EnforcementAction) -> dict[str, Any]:
        """Make ``action`` take effect and record what changed; returns that record."""
        ref = action.target.ref
        detail: dict[str, Any]
        if action.kind is ActionKind.SUPPRESS_OFFER:
            detail = {"offers": self._suppress([ref], action.action_id)}
        elif action.kind is ActionKind.SUSPEND_SELLER:
            detail = self._suspend(ref, action.action_id)
        elif action.kind is ActionKind.HOLD_FUNDS:
            detail = self._hold(case, action)
        elif action.kind is ActionKind.DESTROY_UNITS:
            detail = self._destroy(ref)
        else:
            detail = {"recorded": True, "note": f"{action.kind} recorded against {ref}"}
        self.conn.execute(
            insert(g.enforcement_effects),
            [
                {
                    "action_id": action.action_id,
                    "kind": action.kind.value,
                    "target_ref": ref,
                    "detail": detail,
                    "applied_at": action.at,
                }
            ],
        )
        return detail

    def _suppress(self, offer_ids: list[str], action_id: str) -> list[str]:
        o = t.offers.c
        rows = self.conn.execute(
            select(o.offer_id, o.product_id).where(o.offer_id.in_(offer_ids))
        ).all()
        if not rows:
            return []
        found = sorted(r.offer_id for r in rows)
        self.conn.execute(
            insert(g.offer_suppressions), [{"offer_id": x, "action_id": action_id} for x in found]
        )
        self.conn.execute(update(t.offers).where(o.offer_id.in_(found)).values(suppressed=True))
        self.touched_products.update(r.product_id for r in rows)
        return found

    def _suspend(self, seller_id: str, action_id: str) -> dict[str, Any]:
        prior = self.conn.execute(
            select(t.sellers.c.kyc_status).where(t.sellers.c.seller_id == seller_id)
        ).scalar()
        if prior is None:
            raise InvalidEnforcementTarget(f"no seller {seller_id}")
        if prior == KycStatus.SUSPENDED.value:
            prior = self._prior_of_active_suspension(seller_id) or prior
        self.conn.execute(
            update(t.sellers)
            .where(t.sellers.c.seller_id == seller_id)
            .values(kyc_status=KycStatus.SUSPENDED.value)
        )
        offer_ids = list(
            self.conn.execute(
                select(t.offers.c.offer_id).where(t.offers.c.seller_id == seller_id)
            ).scalars()
        )
        return {"prior_kyc": prior, "offers": self._suppress(offer_ids, action_id)}

    def _prior_of_active_suspension(self, seller_id: str) -> str | None:
        """The KYC status before the first suspension still in force (restored at the end)."""
        e = g.enforcement_effects.c
        found = self.conn.execute(
            select(e.detail)
            .where(
                e.kind == ActionKind.SUSPEND_SELLER.value,
                e.target_ref == seller_id,
                e.reversed_at.is_(None),
            )
            .order_by(e.applied_at)
            .limit(1)
        ).scalar()
        return str(found["prior_kyc"]) if found else None

    def _hold(self, case: Case, action: EnforcementAction) -> dict[str, Any]:
        assert action.amount is not None  # the domain refuses hold_funds without an amount
        seller = action.target.ref
        txn = _txn("hold", action.action_id)
        self._post(txn, case.case_id, seller, action.amount, "governance hold", action.at)
        return {"txn_id": txn, "amount": action.amount.amount, "currency": action.amount.currency}

    def _post(
        self, txn: str, reference: str, seller: str, amount: Money, memo: str, at: datetime
    ) -> None:
        """Move ``amount`` from the seller's payable to held (negative amount: back)."""
        self.conn.execute(
            st.INSERT_LEDGER,
            [
                {
                    "txn_id": txn,
                    "reference": reference[:40],
                    "account": account,
                    "seller_id": seller,
                    "amount_minor": sign * amount.amount,
                    "currency": amount.currency,
                    "memo": memo,
                    "created_at": at,
                }
                for account, sign in ((seller_payable(seller), 1), (seller_held(seller), -1))
            ],
        )

    def _destroy(self, sku: str) -> dict[str, Any]:
        i = t.inventory_positions.c
        rows = self.conn.execute(
            select(i.fc_id, i.on_hand, i.reserved, i.product_id)
            .where(i.sku == sku)
            .order_by(i.fc_id)
            .with_for_update()
        ).all()
        destroyed: dict[str, int] = {}
        for r in rows:
            n = r.on_hand - r.reserved
            if n > 0:
                destroyed[r.fc_id] = n
                self.conn.execute(
                    update(t.inventory_positions)
                    .where(i.sku == sku, i.fc_id == r.fc_id)
                    .values(on_hand=r.reserved)
                )
                self.touched_products.add(r.product_id)
        return {"sku": sku, "destroyed": destroyed}

    # -- reverse ---------------------------------------------------------------------------
    def reverse(self, case: Case, action: EnforcementAction, at: datetime) -> None:
        """Undo what ``apply`` recorded for ``action`` (destroyed units stay destroyed)."""
        eff = self.conn.execute(
            select(g.enforcement_effects).where(
                g.enforcement_effects.c.action_id == action.action_id,
                g.enforcement_effects.c.reversed_at.is_(None),
            )
        ).first()
        if eff is None:
            return
        detail = dict(eff.detail)
        if action.kind in (ActionKind.SUPPRESS_OFFER, ActionKind.SUSPEND_SELLER):
            self._unsuppress(action.action_id)
        if action.kind is ActionKind.SUSPEND_SELLER:
            self._unsuspend(action.target.ref, action.action_id, str(detail["prior_kyc"]))
        if action.kind is ActionKind.HOLD_FUNDS and action.amount is not None:
            self._post(
                _txn("release", action.action_id),
                case.case_id,
                action.target.ref,
                Money(-action.amount.amount, action.amount.currency),
                "governance hold released (appeal overturned)",
                at,
            )
        self.conn.execute(
            update(g.enforcement_effects)
            .where(g.enforcement_effects.c.action_id == action.action_id)
            .values(reversed_at=at)
        )

    def _unsuppress(self, action_id: str) -> None:
        sup, o = g.offer_suppressions.c, t.offers.c
        offer_ids = list(
            self.conn.execute(select(sup.offer_id).where(sup.action_id == action_id)).scalars()
        )
        if not offer_ids:
            return
        self.conn.execute(delete(g.offer_suppressions).where(sup.action_id == action_id))
        still = exists().where(sup.offer_id == o.offer_id)
        self.conn.execute(
            update(t.offers).where(o.offer_id.in_(offer_ids)).values(suppressed=still)
        )
        self.touched_products.update(
            self.conn.execute(
                select(o.product_id).where(o.offer_id.in_(offer_ids)).distinct()
            ).scalars()
        )

    def _unsuspend(self, seller_id: str, action_id: str, prior: str) -> None:
        e = g.enforcement_effects.c
        other = self.conn.execute(
            select(func.count()).where(
                e.kind == ActionKind.SUSPEND_SELLER.value,
                e.target_ref == seller_id,
                e.reversed_at.is_(None),
                e.action_id != action_id,
            )
        ).scalar()
        if not other:
            self.conn.execute(
                update(t.sellers)
                .where(
                    t.sellers.c.seller_id == seller_id,
                    t.sellers.c.kyc_status == KycStatus.SUSPENDED.value,
                )
                .values(kyc_status=prior)
            )
