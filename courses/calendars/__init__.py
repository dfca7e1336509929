"""iCalendar export and import: ical.py is pure; services and views sit around it."""
