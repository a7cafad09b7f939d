"""The shared web workspace (Django 5.2): units enter evidence, inspectors appraise, the Sở follows
and ranks. It holds no scoring logic: every score comes from the same library as `cchc` (see
web/services.py, the only module here that imports it)."""
