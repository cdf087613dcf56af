"""Customs: HS classification, landed-cost quotes, declarations, clearance and screening.

Pure domain (stdlib + ``tradewind.shared``); rule tables are vendored data files under
``data/`` and are loaded on first use. Other contexts should go through :mod:`.api`.
"""
