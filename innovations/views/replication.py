"""Views: replication."""

urlpatterns: list = []
