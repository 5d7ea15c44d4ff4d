from .views import evidence, imports, replication, workflow

app_name = "innovations"

# Fixed prefixes first: workflow's "<slug:slug>/" would otherwise swallow "replikasi/" and "impor/".
urlpatterns = [*replication.urlpatterns, *imports.urlpatterns, *workflow.urlpatterns, *evidence.urlpatterns]
