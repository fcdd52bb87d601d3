from django.http import Http404


def staff_import(request, pk):  # replaced by the import helper
    raise Http404


def staff_import_template(request, pk):
    raise Http404
