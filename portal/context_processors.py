def navigation(request) -> dict:
    """The user's scope for the navigation bar of base.html."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope": user.scope}
