"""Background tasks of notifications, run by `manage.py db_worker` (django-tasks, database backend).

The delivery task is defined in outbox.py, beside the code that enqueues it.
This name stays importable because task rows queued before it moved there
name `vardnav.notifications.tasks.deliver_outgoing_message`.
"""

from __future__ import annotations

from vardnav.notifications.outbox import deliver_outgoing_message

__all__ = ["deliver_outgoing_message"]
