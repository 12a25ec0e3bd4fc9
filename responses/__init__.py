"""Province response forms (issue 5): editor-built forms linked to a circular, answered once per
province or per local administrative organisation (อปท.), with drafts, versions, receipts,
deadlines and private files.

Where things are:

* ``models/pages.py``: ``ResponseFormIndexPage`` (/forms/) and ``ResponseFormPage`` (schema,
  keys, deadline, ``is_open``, ``addressed_organisations``).
* ``blocks.py``: the question blocks; ``schema.py``: ``Question`` (what everything else uses);
  ``keys.py``: ``readable_key``; ``validation.py``: ``clean_answers``; ``uploads.py``:
  ``check_upload``; ``storage.py``: the private file storage.
* ``models/responses.py``: ``Response``, ``ResponseVersion``, ``ResponseFile``, ``PendingInput``.
* ``services.py``: the only writers (``save_draft``, ``submit``) and the readers the staff tools
  use (``statuses``, ``status_counts``, ``can_read_response``, ``local_progress``).
* ``views.py`` / ``urls.py`` / ``forms.py`` / ``presentation.py``: the respondent's pages.
* ``site_setup.ensure_forms_index()``, ``demo.ensure_demo_forms()`` (``load_response_demo``).
"""
