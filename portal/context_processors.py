from django.utils import translation


def navigation(request) -> dict:
    """The user's scope for the navigation bar of base.html, and `nav_key`: everything the
    bar's links depend on besides the page (the language and the scope's flags its conditions
    read), under which the rendered bar is kept for every user with the same flags."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = user.scope
    flags = (
        scope.sees_staff,
        scope.is_committee,
        scope.is_regional,
        user.is_mentor,
        user.is_mentee,
    )
    return {
        "scope": scope,
        "nav_key": translation.get_language() + ":" + "".join(str(int(flag)) for flag in flags),
    }
