from .views import evidence, imports, replication, workflow

app_name = "innovations"

urlpatterns = [*workflow.urlpatterns, *evidence.urlpatterns, *replication.urlpatterns, *imports.urlpatterns]
