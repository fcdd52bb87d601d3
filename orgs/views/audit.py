from django.http import Http404
from django.views import View


class AuditLogView(View):  # replaced by the audit helper
    def get(self, request):
        raise Http404
