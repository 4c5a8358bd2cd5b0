"""WebSocket routes of digital visits (mounted by vardnav/asgi.py): the video meetings' signalling."""

from django.urls import path

from vardnav.visits.consumers import MeetingConsumer

websocket_urlpatterns = [
    path("ws/videomote/<int:meeting_id>/", MeetingConsumer.as_asgi()),
]
