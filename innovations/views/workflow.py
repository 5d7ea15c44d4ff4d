"""Views: workflow."""

urlpatterns: list = []
