"""Helpers of the theory pages: one module per page, named after it.

``book/NAME.md`` imports ``dnncourse.theory.NAME``; a concept that several pages
use lives in the module of the page that teaches it.
"""
