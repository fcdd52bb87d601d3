from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_reference_lists_load_again_without_duplicates():
    out = StringIO()
    call_command("load_reference", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "positions: 30"
    assert lines[1] == "forms and kinds of mentoring: 13"
    # The migrations loaded them already: nothing new is added a second time.
    assert lines[2:] == ["new items of difficulty areas: 0", "new survey questions: 0"]
