"""Access and CSRF proven on every route of the app (issue 18), generated from the
permission table in table.py and the app's url_map."""
