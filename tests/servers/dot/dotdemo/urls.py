"""The provider at /o/ (its issuer is ``http://127.0.0.1:PORT/o``), RFC 8414 metadata at the root,
a login page, and two platform APIs accepting its tokens (each needs its own scope)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from oauth2_provider.decorators import protected_resource
from oauth2_provider.urls import metadata_urlpatterns


def tasks_of(scope: str, prefix: str):  # type: ignore[no-untyped-def]
    @protected_resource(scopes=[scope])
    def tasks(request: HttpRequest) -> JsonResponse:
        user = request.resource_owner.username  # type: ignore[attr-defined]
        return JsonResponse({"items": [
            {"id": f"{prefix}-1", "title": f"{prefix} task 1 of {user}"},
            {"id": f"{prefix}-2", "title": f"{prefix} task 2 of {user}"},
        ]})

    return tasks


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("", include(metadata_urlpatterns)),
    path("accounts/login/", auth_views.LoginView.as_view()),
    path("a/api/tasks", tasks_of("dot.tasks", "A")),
    path("b/api/tasks", tasks_of("dot.notices", "B")),
]
