"""The quality follow-up's own rows (QA)."""
