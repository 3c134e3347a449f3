"""Indonesian is the language of Tilik unless the user picks another.

Browsers in Indonesian offices are often set to English; the interface should still speak
Indonesian until someone chooses English from the language menu (which sets a cookie).
"""

from django.conf import settings


def indonesian_by_default(get_response):
    def middleware(request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return get_response(request)

    return middleware
