"""Views of the competitions app, one module per area; urls.py joins their urlpatterns."""
