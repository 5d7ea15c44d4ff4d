"""HTTP views of the staff side, one module per area; each module ends with its `urlpatterns`."""
