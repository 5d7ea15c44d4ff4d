"""Views: evidence."""

urlpatterns: list = []
