"""The toolbox every app uses: PDF rendering, Excel, uploads, lists, form helpers, text keys.

It imports no app of the portal (import-linter keeps it so)."""
