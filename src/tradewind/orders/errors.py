"""Stable error codes of the orders context."""

from __future__ import annotations

from enum import StrEnum

from tradewind.shared.errors import TradewindError


class OrdersError(StrEnum):
    CUSTOMER_NOT_FOUND = "customer_not_found"
    ORDER_NOT_FOUND = "order_not_found"
    EMPTY_CART = "empty_cart"
    INVALID_CART = "invalid_cart"
    OFFER_UNAVAILABLE = "offer_unavailable"
    PAYMENT_DECLINED = "payment_declined"
    PAYMENT_TIMEOUT = "payment_timeout"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    IDEMPOTENCY_KEY_REQUIRED = "idempotency_key_required"
    ORDER_NOT_CANCELLABLE = "order_not_cancellable"
    PRICE_CHANGED = "price_changed"
    SHIPMENT_NOT_FOUND = "shipment_not_found"
    SHIPMENT_NOT_REFUNDABLE = "shipment_not_refundable"
    INVALID_PAYMENT_METHOD = "invalid_payment_method"


class CustomerNotFound(TradewindError):
    code = OrdersError.CUSTOMER_NOT_FOUND
    status = 404


class OrderNotFound(TradewindError):
    code = OrdersError.ORDER_NOT_FOUND
    status = 404


class EmptyCart(TradewindError):
    code = OrdersError.EMPTY_CART
    status = 422


class InvalidCart(TradewindError):
    code = OrdersError.INVALID_CART
    status = 422


class OfferUnavailable(TradewindError):
    code = OrdersError.OFFER_UNAVAILABLE
    status = 409


class PaymentDeclined(TradewindError):
    code = OrdersError.PAYMENT_DECLINED
    status = 402


class PaymentTimeout(TradewindError):
    code = OrdersError.PAYMENT_TIMEOUT
    status = 504


class InvalidPaymentMethod(TradewindError):
    code = OrdersError.INVALID_PAYMENT_METHOD
    status = 422


class IdempotencyKeyReused(TradewindError):
    """The key was already used for a different request body."""

    code = OrdersError.IDEMPOTENCY_KEY_REUSED
    status = 422


class IdempotencyKeyRequired(TradewindError):
    code = OrdersError.IDEMPOTENCY_KEY_REQUIRED
    status = 400


class OrderNotCancellable(TradewindError):
    code = OrdersError.ORDER_NOT_CANCELLABLE
    status = 409


class ShipmentNotFound(TradewindError):
    code = OrdersError.SHIPMENT_NOT_FOUND
    status = 404


class ShipmentNotRefundable(TradewindError):
    """Delivered parcels go through returns; a cancelled order was refunded as a whole."""

    code = OrdersError.SHIPMENT_NOT_REFUNDABLE
    status = 409
