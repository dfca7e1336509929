"""Diploma programmes, their modules and ECTS rules, and a person's progress."""
