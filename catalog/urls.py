from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("inovasi/<slug:slug>/", views.innovation_detail, name="detail"),
]
