"""The audit app's part of /api/v1 (registered in vardnav/api/main.py)."""

from ninja import Router

router = Router(tags=["audit"])
