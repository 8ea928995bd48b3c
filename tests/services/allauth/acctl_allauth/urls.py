from django.urls import include, path

# Only the headless API: no templates, no browser pages.
urlpatterns = [
    path("_allauth/", include("allauth.headless.urls")),
]
