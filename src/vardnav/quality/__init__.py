"""Quality follow-up (QA): peer review of cases, the resident's survey after a visit, continuity and
prescribing statistics. Reads the case engine and the services above it; changes only its own rows."""
