"""Database ids as they arrive from outside (paths, forms, JSON bodies).

Every primary key is a 64-bit integer: a larger or non-positive number can name
nothing, and handing it to the database would overflow the parameter (a 500 on
PostgreSQL) instead of the 404 or 422 the caller should get.
"""

MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """The id `value` names, or None when it can't name a row."""
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if 1 <= number <= MAX_ID else None
