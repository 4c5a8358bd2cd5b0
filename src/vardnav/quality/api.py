"""Quality follow-up in /api/v1 (QA)."""

from ninja import Router

router = Router(tags=["quality"])
